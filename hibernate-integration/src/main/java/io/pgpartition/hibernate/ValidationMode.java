package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
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
        if (setting == null || setting.toString().isBlank()) {
            return FAIL;
        }
        if (setting instanceof ValidationMode mode) {
            return mode;
        }
        String text = setting.toString().trim();
        for (ValidationMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new PartitioningException(ErrorCode.DEFINITION_INVALID, "Invalid setting " + PartitioningSettings.VALIDATION
                + "=" + text + "; expected fail, warn or none");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
