package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#NON_POSTGRESQL}.
 */
public enum NonPostgresqlMode {
    /** Log one WARN naming the entities left unguarded, and boot as without pgpartition. */
    WARN,
    /** Stop the bootstrap. */
    FAIL;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #WARN}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static NonPostgresqlMode of(Object setting) {
        return SettingValues.of(NonPostgresqlMode.class, PartitioningSettings.NON_POSTGRESQL, setting, WARN);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
