/**
 * The operator service under the actuator endpoint and the abort controller: listings of
 * proxies, calls, hosts and operations as immutable descriptors, the operator verbs with
 * their results, authorization and audit.
 */
@NullMarked
package io.github.cancellablesoap.operator;

import org.jspecify.annotations.NullMarked;
