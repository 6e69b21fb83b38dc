package io.pgpartition;

import java.util.Objects;

/**
 * Root of every exception pgpartition throws. Unchecked, and always carries an {@link ErrorCode}.
 */
public class PartitioningException extends RuntimeException {

    private final ErrorCode code;

    public PartitioningException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PartitioningException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The stable code of what went wrong. */
    public ErrorCode getCode() {
        return code;
    }
}
