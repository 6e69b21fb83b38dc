/**
 * Private API. No compatibility guarantees.
 */
package io.pgpartition.test.internal;
