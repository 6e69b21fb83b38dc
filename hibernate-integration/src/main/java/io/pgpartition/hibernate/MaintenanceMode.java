package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#MAINTENANCE}.
 */
public enum MaintenanceMode {
    /** No maintenance at startup. */
    NONE,
    /** Stop the bootstrap when partitions the policies want by now are missing. */
    VERIFY,
    /** Run maintenance at startup: create what is missing, retire what expired. */
    APPLY;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #NONE}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static MaintenanceMode of(Object setting) {
        return SettingValues.of(MaintenanceMode.class, PartitioningSettings.MAINTENANCE, setting, NONE);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
