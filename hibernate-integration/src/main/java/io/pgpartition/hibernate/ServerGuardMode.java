package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#SERVER_GUARD}.
 */
public enum ServerGuardMode {
    /** The server guard is left as it is. */
    NONE,
    /** Stop the bootstrap when a partitioned entity's table or one of its partitions lacks the server guard. */
    VERIFY,
    /** Complete the server guard of the partitioned entities' tables at startup. */
    INSTALL;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #NONE}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static ServerGuardMode of(Object setting) {
        return SettingValues.of(ServerGuardMode.class, PartitioningSettings.SERVER_GUARD, setting, NONE);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
