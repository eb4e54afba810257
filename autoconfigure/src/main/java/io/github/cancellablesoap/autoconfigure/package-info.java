/**
 * Spring Boot wiring shared by every cancellable SOAP auto-configuration: the properties
 * and the master switch.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure;

import org.jspecify.annotations.NullMarked;
