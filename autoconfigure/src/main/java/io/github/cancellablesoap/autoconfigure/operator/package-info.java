/**
 * Auto-configuration of the operator service under the soapcalls endpoint and the abort
 * controller: authorization, audit and meters.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.operator;

import org.jspecify.annotations.NullMarked;
