package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#CHILD_PARTITION_DML}: what happens to SQL that writes to a partition
 * directly instead of through its parent table.
 */
public enum ChildPartitionDml {
    /** Throw {@link io.pgpartition.ChildPartitionWriteException} before the statement reaches the server. */
    REJECT,
    /** Log a warning, once per partition, and let the statement run. */
    WARN,
    /** Let it run. */
    ALLOW;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #REJECT}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static ChildPartitionDml of(Object setting) {
        if (setting == null || setting.toString().isBlank()) {
            return REJECT;
        }
        if (setting instanceof ChildPartitionDml mode) {
            return mode;
        }
        String text = setting.toString().trim();
        for (ChildPartitionDml mode : values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new PartitioningException(ErrorCode.DEFINITION_INVALID, "Invalid setting " + PartitioningSettings.CHILD_PARTITION_DML
                + "=" + text + "; expected reject, warn or allow");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
