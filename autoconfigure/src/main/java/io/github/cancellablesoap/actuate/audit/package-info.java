/**
 * Operator actions as Spring Boot actuator audit events.
 */
@NullMarked
package io.github.cancellablesoap.actuate.audit;

import org.jspecify.annotations.NullMarked;
