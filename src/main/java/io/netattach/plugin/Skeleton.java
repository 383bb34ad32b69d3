package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CNI protocol around a {@link Plugin} (the reference {@code pkg/skel}): environment and stdin
 * in, one {@link CniRequest} to the handler, the result or a CNI error object out on stdout.
 * Environment, stdin and stdout are parameters, so the whole protocol is unit-testable.
 *
 * <p>Order of checks: CNI_COMMAND (missing or unknown: code 4); VERSION answers at once; all
 * missing required variables together (code 4); CNI_CONTAINERID / CNI_IFNAME syntax (code 4);
 * CNI_ARGS (code 4); stdin JSON (code 6) and standard fields (code 7); cniVersion against the
 * plugin's versions (code 1, details list them) and against the verb (CHECK &gt;= 0.4.0,
 * STATUS/GC &gt;= 1.1.0, code 1); then the handler. Every failure is printed as
 * {@code {"cniVersion","code","msg","details"}} on stdout with exit status 1; anything unexpected
 * (including Errors) is caught at the top and reported as code 999 with a one-line message, the
 * stack trace never reaches stdout.
 */
public final class Skeleton {
    /** Container ids and network names: alphanumeric first, then alphanumerics, '_', '.', '-'. */
    public static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** Largest accepted stdin. */
    public static final int MAX_STDIN = 4 * 1024 * 1024;

    private Skeleton() {
    }

    /** Runs {@code plugin} for one invocation and returns the process exit status (0 or 1). */
    public static int run(Plugin plugin, Map<String, String> env, InputStream stdin, PrintStream stdout,
                          PrintStream stderr) {
        String version = "";
        try {
            String commandText = env.getOrDefault("CNI_COMMAND", "");
            if (commandText.isEmpty()) {
                throw new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                        "required env variables [CNI_COMMAND] missing");
            }
            Command command = Command.parse(commandText).orElseThrow(() -> new CniException(
                    CniError.CODE_INVALID_ENVIRONMENT, "unknown CNI_COMMAND: \"" + commandText + "\"",
                    "expected one of " + Arrays.toString(Command.values())));
            if (command == Command.VERSION) {
                stdout.println(Json.writePretty(versionInfo(plugin)));
                stdout.flush();
                return 0;
            }
            List<String> missing = new ArrayList<>();
            for (String name : command.requiredEnvironment()) {
                if (env.getOrDefault(name, "").isEmpty()) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                        "required env variables [" + String.join(",", missing) + "] missing");
            }
            if (command.isAttachment()) {
                validateContainerId(env.get("CNI_CONTAINERID"));
                validateInterfaceName(env.get("CNI_IFNAME"));
            }
            Map<String, String> args = CniArgs.parse(env.getOrDefault("CNI_ARGS", ""));
            CniArgs.checkKnown(args, plugin.knownArgs());
            String text = readStdin(stdin);
            NetConf conf = NetConf.parse(text);
            version = conf.cniVersion();
            CniVersion v = reconcile(plugin, conf, command);
            String path = env.getOrDefault("CNI_PATH", "");
            CniRequest request = new CniRequest(command, env.get("CNI_CONTAINERID"), env.get("CNI_NETNS"),
                    env.get("CNI_IFNAME"), args,
                    path.isEmpty() ? List.of() : List.of(path.split(":")), text, env);
            switch (command) {
                case ADD -> {
                    Result result = plugin.add(request, conf);
                    stdout.println(Json.writePretty(result.toJson(v)));
                }
                case DEL -> plugin.del(request, conf);
                case CHECK -> plugin.check(request, conf);
                case STATUS -> plugin.status(request, conf);
                case GC -> plugin.gc(request, conf);
                case VERSION -> throw new IllegalStateException("unreachable");
            }
            stdout.flush();
            return 0;
        } catch (CniException e) {
            printError(stdout, e.error(), version);
            return 1;
        } catch (Throwable t) {
            String message = t.getMessage() == null || t.getMessage().isBlank()
                    ? t.getClass().getSimpleName() : t.getMessage();
            message = message.lines().findFirst().orElse(message);
            try {
                stderr.println(plugin.name() + ": " + t.getClass().getName() + ": " + message);
                stderr.flush();
            } catch (Throwable ignored) {
                // nothing more to do
            }
            printError(stdout, new CniError(CniError.CODE_INTERNAL, message), version);
            return 1;
        }
    }

    private static void printError(PrintStream stdout, CniError error, String version) {
        String v = CniVersion.parse(version).map(CniVersion::text).orElse(CniVersion.CURRENT.text());
        stdout.println(Json.writePretty(error.toJson(v)));
        stdout.flush();
    }

    /** {@code {"cniVersion": "1.1.0", "supportedVersions": [...]}}. */
    public static JsonObject versionInfo(Plugin plugin) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cniVersion", new JsonString(CniVersion.CURRENT.text()));
        m.put("supportedVersions", new JsonArray(plugin.supportedVersions().stream()
                .<JsonValue>map(x -> new JsonString(x.text())).toList()));
        return new JsonObject(m);
    }

    private static CniVersion reconcile(Plugin plugin, NetConf conf, Command command) {
        CniVersion v = conf.version().filter(plugin.supportedVersions()::contains).orElse(null);
        if (v == null) {
            StringBuilder supported = new StringBuilder("[");
            for (CniVersion s : plugin.supportedVersions()) {
                supported.append(supported.length() > 1 ? " " : "").append('"').append(s.text()).append('"');
            }
            supported.append(']');
            throw new CniException(CniError.CODE_INCOMPATIBLE_VERSION, "incompatible CNI versions",
                    "config is \"" + conf.cniVersion() + "\", plugin supports " + supported);
        }
        if (!v.atLeast(command.since())) {
            throw new CniException(CniError.CODE_INCOMPATIBLE_VERSION, "config version does not allow "
                    + command.name(), "config is \"" + v.text() + "\", " + command.name() + " needs "
                    + command.since().text() + " or later");
        }
        return v;
    }

    /** Container id syntax (code 4). */
    public static void validateContainerId(String id) {
        if (id == null || id.isEmpty()) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "missing containerID");
        }
        if (!CONTAINER_ID.matcher(id).matches()) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "invalid characters in CNI_CONTAINERID \""
                    + id + "\"", "must start with a letter or digit, then letters, digits, '_', '.', '-'");
        }
    }

    /** Linux interface name rules (code 4), as {@link io.netattach.cni.InterfaceName}. */
    public static void validateInterfaceName(String name) {
        if (name == null || name.isEmpty()) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "interface name is empty");
        }
        io.netattach.cni.InterfaceName.problem(name).ifPresent(problem -> {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                    "invalid CNI_IFNAME " + io.netattach.cni.Text.quote(name) + ": " + problem);
        });
    }

    private static String readStdin(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_STDIN + 1);
            if (bytes.length > MAX_STDIN) {
                throw CniException.decode("network configuration on stdin is larger than " + MAX_STDIN + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CniException(CniError.CODE_IO_FAILURE, "error reading stdin: " + e.getMessage());
        }
    }
}
