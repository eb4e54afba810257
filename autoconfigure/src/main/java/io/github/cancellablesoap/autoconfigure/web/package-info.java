/**
 * Auto-configuration of the REST abort controller.
 */
@NullMarked
package io.github.cancellablesoap.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
