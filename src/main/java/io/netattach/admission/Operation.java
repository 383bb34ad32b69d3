package io.netattach.admission;

import java.util.Optional;

/** The operations an AdmissionReview can carry ({@code request.operation}). */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    CONNECT;

    public static Optional<Operation> parse(String text) {
        for (Operation op : values()) {
            if (op.name().equals(text)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
