package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#POLICIES}.
 */
public enum PolicyRecording {
    /** Record the policies the annotations declare in the database at startup, where the role may. */
    RECORD,
    /** Record nothing. */
    NONE;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #RECORD}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static PolicyRecording of(Object setting) {
        return SettingValues.of(PolicyRecording.class, PartitioningSettings.POLICIES, setting, RECORD);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
