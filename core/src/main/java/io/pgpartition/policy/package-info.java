/**
 * Partition policies read from annotations or built in code: intervals, retention, naming, list and hash layouts.
 */
package io.pgpartition.policy;
