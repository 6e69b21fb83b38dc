/**
 * Private API. No compatibility guarantees.
 */
package io.pgpartition.hibernate.internal;
