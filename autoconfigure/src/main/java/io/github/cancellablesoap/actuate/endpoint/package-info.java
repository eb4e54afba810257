/**
 * The {@code soapcalls} actuator endpoint and its web extension, through which operators
 * list in-flight calls and operations and abandon, abort or cancel them.
 */
@NullMarked
package io.github.cancellablesoap.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
