package io.pgpartition.catalog.internal;

import java.util.Optional;

/** Citus names a shard {@code <table>_<shard id>}: the shard id a relation's name ends in. */
public final class ShardNames {

    /** The 8 hex digits of a hash Citus puts between a shortened table name and the shard id. */
    private static final java.util.regex.Pattern HASHED = java.util.regex.Pattern.compile("(.*)_[0-9a-f]{8}");

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

    /**
     * Whether {@code shard} is the name Citus gives shard {@code id} of {@code table}: {@code <table>_<id>}, or, where
     * that would pass PostgreSQL's 63 bytes, the table's name shortened, a hash of it and the id
     * ({@code event_impressions_for_the_reporting_pipeline_of_a8d5ec56_125314}).
     */
    public static boolean isShardOf(String shard, String table, long id) {
        String suffix = "_" + id;
        if (!shard.endsWith(suffix)) {
            return false;
        }
        String stem = shard.substring(0, shard.length() - suffix.length());
        java.util.regex.Matcher hashed = HASHED.matcher(stem);
        return stem.equals(table) || hashed.matches() && table.startsWith(hashed.group(1)) && hashed.group(1).length() < table.length();
    }
}
