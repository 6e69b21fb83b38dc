package io.pgpartition.catalog.internal;

import java.util.Optional;

/** Citus names a shard {@code <table>_<shard id>}: the shard id a relation's name ends in. */
public final class ShardNames {

    /** Shard ids are {@code bigint}: at most 18 digits keep every one a Java {@code long}. */
    private static final int MOST_DIGITS = 18;

    private ShardNames() {
    }

    /** The shard id a name ends in ({@code events_2026_12_102077}: 102077), if it ends in {@code _<digits>} after a name. */
    public static Optional<Long> id(String name) {
        int underscore = name.lastIndexOf('_');
        if (underscore <= 0 || underscore == name.length() - 1) {
            return Optional.empty();
        }
        String digits = name.substring(underscore + 1);
        return digits.length() <= MOST_DIGITS && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Optional.of(Long.parseLong(digits)) : Optional.empty();
    }
}
