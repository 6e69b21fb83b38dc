package io.pgpartition.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How maintenance waits for locks.
 *
 * @param lockTimeout      the {@code lock_timeout} of every maintenance statement: how long the application's writes
 *                         can queue behind it at most
 * @param attempts         how often a statement that timed out on a lock (or lost a deadlock) is tried in all
 * @param backoff          the pause before the second attempt; it doubles (with jitter) before each further one
 * @param advisoryLockWait how long a run waits for another run maintaining the same table to finish
 */
public record MaintenanceOptions(Duration lockTimeout, int attempts, Duration backoff, Duration advisoryLockWait) {

    /** 2 s lock timeout, 5 attempts, 200 ms first backoff, up to 5 minutes' wait for another run. */
    public static final MaintenanceOptions DEFAULTS =
            new MaintenanceOptions(Duration.ofSeconds(2), 5, Duration.ofMillis(200), Duration.ofMinutes(5));

    public MaintenanceOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(advisoryLockWait, "advisoryLockWait");
        if (lockTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("The lock timeout is at least 1 ms (0 would wait forever); got " + lockTimeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("Maintenance tries each statement at least once; got " + attempts + " attempts");
        }
        if (backoff.isNegative() || advisoryLockWait.isNegative()) {
            throw new IllegalArgumentException("Waits cannot be negative");
        }
    }

    public MaintenanceOptions withLockTimeout(Duration timeout) {
        return new MaintenanceOptions(timeout, attempts, backoff, advisoryLockWait);
    }

    public MaintenanceOptions withAttempts(int count) {
        return new MaintenanceOptions(lockTimeout, count, backoff, advisoryLockWait);
    }

    public MaintenanceOptions withBackoff(Duration pause) {
        return new MaintenanceOptions(lockTimeout, attempts, pause, advisoryLockWait);
    }

    public MaintenanceOptions withAdvisoryLockWait(Duration wait) {
        return new MaintenanceOptions(lockTimeout, attempts, backoff, wait);
    }

    /**
     * Parses a duration written as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or in ISO-8601
     * ({@code PT2S}).
     *
     * @param where the setting or option the text comes from, for the error message
     * @throws io.pgpartition.PartitioningException {@link io.pgpartition.ErrorCode#DEFINITION_INVALID} naming
     *         {@code where}, the text and the accepted forms
     */
    public static Duration parseDuration(String text, String where) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (trimmed.startsWith("p")) {
                Duration parsed = Duration.parse(trimmed.toUpperCase(java.util.Locale.ROOT));
                if (!parsed.isNegative()) {
                    return parsed;
                }
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)").matcher(trimmed);
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        throw new io.pgpartition.PartitioningException(io.pgpartition.ErrorCode.DEFINITION_INVALID, "Invalid " + where
                + " \"" + text + "\": expected a duration such as 500ms, 2s, 5m, 1h, 1d or PT2S");
    }

    /**
     * The pause after a failed attempt: the backoff doubled for each attempt before it, with jitter between half and one
     * and a half times that.
     *
     * @param attempt the attempt that failed, from 1
     */
    public long pauseAfter(int attempt) {
        long base = backoff.toMillis() << Math.min(attempt - 1, 16);
        return base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base + 1);
    }

    /** The lock timeout as a {@code SET lock_timeout} value, in milliseconds. */
    String lockTimeoutSetting() {
        return lockTimeout.toMillis() + "ms";
    }
}
