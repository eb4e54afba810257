/**
 * The operator service under the actuator endpoint and the abort controller: listings of
 * proxies, calls, hosts and operations as immutable descriptors, the operator verbs with
 * their results, authorization and audit. {@code OperatorService} is the facade that
 * parses input at the edge; {@code ProxyOperator} and {@code HostOperator} act per
 * target, {@code OperatorAudit} authorises and audits, {@code OperatorInput} cleans.
 */
@NullMarked
package io.github.cancellablesoap.operator;

import org.jspecify.annotations.NullMarked;
