package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#VALIDATION}.
 */
public enum ValidationMode {
    /** Stop the bootstrap with every problem found. */
    FAIL,
    /** Log every problem at WARN and boot. */
    WARN,
    /** Do not validate. */
    NONE;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #FAIL}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static ValidationMode of(Object setting) {
        return SettingValues.of(ValidationMode.class, PartitioningSettings.VALIDATION, setting, FAIL);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
