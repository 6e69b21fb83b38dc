/**
 * Private API. No compatibility guarantees.
 */
package io.pgpartition.reshape.internal;
