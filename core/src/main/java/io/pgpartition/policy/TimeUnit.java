package io.pgpartition.policy;

/**
 * Calendar units a time interval counts in. A quarter is three months.
 */
public enum TimeUnit {
    DAY, WEEK, MONTH, YEAR
}
