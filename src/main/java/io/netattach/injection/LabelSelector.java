package io.netattach.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, parsed as {@code k8s.io/apimachinery/pkg/labels.Parse}
 * does: requirements separated by commas, each one of {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key in (a,b)}, {@code key notin (a)}, {@code key} (exists),
 * {@code !key} (does not exist), {@code key>1}, {@code key<1}. The empty selector matches every
 * label set. Keys and values are checked like Kubernetes label keys and values.
 *
 * <p>Immutable and thread-safe; {@link #matches(Map)} allocates nothing.
 */
public final class LabelSelector {

    /** How a requirement compares the label. */
    public enum Operator {
        EQUALS("="), NOT_EQUALS("!="), IN(" in "), NOT_IN(" notin "), EXISTS(""), DOES_NOT_EXIST("!"),
        GREATER_THAN(">"), LESS_THAN("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** One requirement: a key, an operator and its values (empty for exists / does-not-exist). */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Objects.requireNonNull(key);
            Objects.requireNonNull(operator);
            values = Set.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN, LESS_THAN -> value != null && compareInteger(value);
            };
        }

        private boolean compareInteger(String value) {
            long labelValue;
            try {
                labelValue = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            long bound = Long.parseLong(values.iterator().next());
            return operator == Operator.GREATER_THAN ? labelValue > bound : labelValue < bound;
        }

        /** Canonical text: sorted values, Kubernetes spelling. */
        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case IN, NOT_IN -> key + operator.symbol + "(" + String.join(",", new TreeSet<>(values)) + ")";
                default -> key + operator.symbol + values.iterator().next();
            };
        }
    }

    /** A selector string that is not valid Kubernetes selector syntax. */
    public static final class InvalidSelectorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidSelectorException(String message) {
            super(message);
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final List<Requirement> requirements;
    private final Requirement[] array;
    private final String canonical;

    private LabelSelector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key).thenComparing(Requirement::toString));
        this.requirements = List.copyOf(sorted);
        this.array = this.requirements.toArray(new Requirement[0]);
        this.canonical = String.join(",", this.requirements.stream().map(Requirement::toString).toList());
    }

    /** The selector that matches everything (the empty string). */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEverything() {
        return array.length == 0;
    }

    /** Whether every requirement holds for {@code labels}. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : array) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Canonical text (requirements sorted by key): equal selectors have equal text. */
    @Override
    public String toString() {
        return canonical;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /**
     * Parses {@code text}.
     *
     * @throws InvalidSelectorException with a one-line message that quotes the selector and says
     *                                  what was found where
     */
    public static LabelSelector parse(String text) throws InvalidSelectorException {
        Objects.requireNonNull(text, "text");
        List<Requirement> requirements = new Parser(text).parse();
        return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements);
    }

    // ------------------------------------------------------------------ validation of keys and values

    static String checkKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            if (slash != key.lastIndexOf('/')) {
                return "a label key may contain at most one '/'";
            }
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return "the prefix before '/' must not be empty";
            }
            if (prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                return "the prefix \"" + prefix + "\" must be a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', at most 253 characters)";
            }
        }
        if (name.isEmpty()) {
            return "the name part must not be empty";
        }
        if (name.length() > 63) {
            return "the name part \"" + name + "\" is longer than 63 characters";
        }
        if (!NAME.matcher(name).matches()) {
            return "the name part \"" + name + "\" must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric";
        }
        return null;
    }

    static String checkValue(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > 63) {
            return "a label value must be at most 63 characters";
        }
        if (!NAME.matcher(value).matches()) {
            return "a label value must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric";
        }
        return null;
    }

    // ------------------------------------------------------------------ lexer and parser

    private enum Kind {
        IDENTIFIER, NOT, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, OPEN, CLOSE, COMMA, IN, NOT_IN, GREATER, LESS, END
    }

    private record Token(Kind kind, String text, int position) {
        String describe() {
            return switch (kind) {
                case END -> "end of selector";
                case IDENTIFIER -> "\"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private static final class Parser {
        private final String text;
        private final List<Token> tokens = new ArrayList<>();
        private int index;

        Parser(String text) {
            this.text = text;
        }

        private InvalidSelectorException error(String message) {
            return new InvalidSelectorException("invalid label selector \"" + text + "\": " + message);
        }

        private void lex() throws InvalidSelectorException {
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                int start = i;
                switch (c) {
                    case '!' -> {
                        if (i + 1 < n && text.charAt(i + 1) == '=') {
                            tokens.add(new Token(Kind.NOT_EQUALS, "!=", start));
                            i += 2;
                        } else {
                            tokens.add(new Token(Kind.NOT, "!", start));
                            i++;
                        }
                    }
                    case '=' -> {
                        if (i + 1 < n && text.charAt(i + 1) == '=') {
                            tokens.add(new Token(Kind.DOUBLE_EQUALS, "==", start));
                            i += 2;
                        } else {
                            tokens.add(new Token(Kind.EQUALS, "=", start));
                            i++;
                        }
                    }
                    case '(' -> {
                        tokens.add(new Token(Kind.OPEN, "(", start));
                        i++;
                    }
                    case ')' -> {
                        tokens.add(new Token(Kind.CLOSE, ")", start));
                        i++;
                    }
                    case ',' -> {
                        tokens.add(new Token(Kind.COMMA, ",", start));
                        i++;
                    }
                    case '>' -> {
                        tokens.add(new Token(Kind.GREATER, ">", start));
                        i++;
                    }
                    case '<' -> {
                        tokens.add(new Token(Kind.LESS, "<", start));
                        i++;
                    }
                    default -> {
                        while (i < n && !Character.isWhitespace(text.charAt(i)) && "!=(),<>".indexOf(text.charAt(i)) < 0) {
                            i++;
                        }
                        String word = text.substring(start, i);
                        Kind kind = switch (word) {
                            case "in" -> Kind.IN;
                            case "notin" -> Kind.NOT_IN;
                            default -> Kind.IDENTIFIER;
                        };
                        tokens.add(new Token(kind, word, start));
                    }
                }
            }
            tokens.add(new Token(Kind.END, "", n));
        }

        private Token peek() {
            return tokens.get(index);
        }

        private Token next() {
            Token t = tokens.get(index);
            if (t.kind != Kind.END) {
                index++;
            }
            return t;
        }

        List<Requirement> parse() throws InvalidSelectorException {
            lex();
            List<Requirement> requirements = new ArrayList<>();
            if (peek().kind == Kind.END) {
                return requirements;
            }
            while (true) {
                requirements.add(parseRequirement());
                Token t = next();
                if (t.kind == Kind.END) {
                    return requirements;
                }
                if (t.kind != Kind.COMMA) {
                    throw error("found " + t.describe() + " at position " + t.position + ", expected ',' or end of selector");
                }
                Token after = peek();
                if (after.kind != Kind.IDENTIFIER && after.kind != Kind.NOT) {
                    throw error("found " + after.describe() + " at position " + after.position + ", expected a requirement after ','");
                }
            }
        }

        private Requirement parseRequirement() throws InvalidSelectorException {
            boolean negated = false;
            Token t = next();
            if (t.kind == Kind.NOT) {
                negated = true;
                t = next();
            }
            if (t.kind != Kind.IDENTIFIER) {
                throw error("found " + t.describe() + " at position " + t.position + ", expected a label key");
            }
            String key = t.text;
            String keyProblem = checkKey(key);
            if (keyProblem != null) {
                throw error("invalid label key \"" + key + "\": " + keyProblem);
            }
            Token op = peek();
            if (op.kind == Kind.END || op.kind == Kind.COMMA) {
                return new Requirement(key, negated ? Operator.DOES_NOT_EXIST : Operator.EXISTS, Set.of());
            }
            if (negated) {
                throw error("found " + op.describe() + " at position " + op.position + " after \"!" + key + "\", expected ',' or end of selector");
            }
            next();
            return switch (op.kind) {
                case EQUALS, DOUBLE_EQUALS -> new Requirement(key, Operator.EQUALS, Set.of(exactValue(key)));
                case NOT_EQUALS -> new Requirement(key, Operator.NOT_EQUALS, Set.of(exactValue(key)));
                case IN -> new Requirement(key, Operator.IN, values(key));
                case NOT_IN -> new Requirement(key, Operator.NOT_IN, values(key));
                case GREATER, LESS -> {
                    String bound = exactValue(key);
                    try {
                        Long.parseLong(bound);
                    } catch (NumberFormatException e) {
                        throw error("for '" + op.text + "' the value must be an integer, got \"" + bound + "\"");
                    }
                    yield new Requirement(key, op.kind == Kind.GREATER ? Operator.GREATER_THAN : Operator.LESS_THAN, Set.of(bound));
                }
                default -> throw error("found " + op.describe() + " at position " + op.position
                        + " after \"" + key + "\", expected one of '=', '==', '!=', 'in', 'notin', '>', '<', ',' or end of selector");
            };
        }

        private String exactValue(String key) throws InvalidSelectorException {
            Token t = peek();
            if (t.kind == Kind.END || t.kind == Kind.COMMA) {
                return "";
            }
            next();
            if (t.kind != Kind.IDENTIFIER && t.kind != Kind.IN && t.kind != Kind.NOT_IN) {
                throw error("found " + t.describe() + " at position " + t.position + ", expected a value for \"" + key + "\"");
            }
            return checkedValue(key, t.text);
        }

        private String checkedValue(String key, String value) throws InvalidSelectorException {
            String problem = checkValue(value);
            if (problem != null) {
                throw error("invalid value \"" + value + "\" for \"" + key + "\": " + problem);
            }
            return value;
        }

        private Set<String> values(String key) throws InvalidSelectorException {
            Token open = next();
            if (open.kind != Kind.OPEN) {
                throw error("found " + open.describe() + " at position " + open.position + ", expected '(' after 'in' or 'notin'");
            }
            Set<String> values = new TreeSet<>();
            boolean expectValue = true;
            while (true) {
                Token t = next();
                switch (t.kind) {
                    case IDENTIFIER, IN, NOT_IN -> {
                        if (!expectValue) {
                            throw error("found " + t.describe() + " at position " + t.position + ", expected ',' or ')'");
                        }
                        values.add(checkedValue(key, t.text));
                        expectValue = false;
                    }
                    case COMMA -> {
                        if (expectValue) {
                            values.add(""); // "(,", ",," as Kubernetes reads them: an empty value
                        }
                        expectValue = true;
                    }
                    case CLOSE -> {
                        if (expectValue) {
                            values.add(""); // "()" and ",)" mean the empty value, as in Kubernetes
                        }
                        return values;
                    }
                    default -> throw error("found " + t.describe() + " at position " + t.position
                            + ", expected a value, ',' or ')' in the values of \"" + key + "\"");
                }
            }
        }
    }
}
