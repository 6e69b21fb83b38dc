package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads enum-valued settings: the constant's name in any case, the constant itself, or nothing for the default.
 */
final class SettingValues {

    private SettingValues() {
    }

    /**
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    static <E extends Enum<E>> E of(Class<E> type, String key, Object setting, E defaultValue) {
        if (setting == null || setting.toString().isBlank()) {
            return defaultValue;
        }
        if (type.isInstance(setting)) {
            return type.cast(setting);
        }
        String text = setting.toString().trim();
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        String[] names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        String accepted = names.length == 1 ? names[0] : Arrays.stream(names, 0, names.length - 1)
                .collect(Collectors.joining(", ")) + " or " + names[names.length - 1];
        throw new PartitioningException(ErrorCode.DEFINITION_INVALID, "Invalid setting " + key + "=" + text + "; expected " + accepted);
    }
}
