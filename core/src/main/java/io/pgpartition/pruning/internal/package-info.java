/**
 * Private API. No compatibility guarantees.
 */
package io.pgpartition.pruning.internal;
