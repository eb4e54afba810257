/**
 * The REST abort controller: the operator reads and verbs of the {@code soapcalls}
 * endpoint under the application's own path, with RFC 9457 problem details on errors.
 */
@NullMarked
package io.github.cancellablesoap.web;

import org.jspecify.annotations.NullMarked;
