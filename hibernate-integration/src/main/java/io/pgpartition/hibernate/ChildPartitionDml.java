package io.pgpartition.hibernate;

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
        return SettingValues.of(ChildPartitionDml.class, PartitioningSettings.CHILD_PARTITION_DML, setting, REJECT);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
