package io.github.cancellablesoap.autoconfigure;

import java.time.Duration;

import io.github.cancellablesoap.core.Names;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The checks that turn a bad {@code cancellable-soap} property into a start-up failure
 * naming the property and what to fix, shared by the proxy and host settings factories.
 * Names and paths go through {@link Names}, the one rule for them.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class PropertyChecks {

	private PropertyChecks() {
	}

	/**
	 * Check a proxy or host name.
	 * @param property the map property, such as {@code cancellable-soap.hosts}
	 * @param kind what is named, such as {@code service host}
	 * @param name the name
	 * @return the name
	 */
	public static String name(String property, String kind, String name) {
		try {
			return Names.requireName(kind, name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name, ex.getMessage());
		}
	}

	/**
	 * Check a host path.
	 * @param property the path's property
	 * @param hostName the host's name
	 * @param path the path
	 * @return the path
	 */
	public static String path(String property, String hostName, String path) {
		try {
			return Names.requirePath(hostName, path);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, path, ex.getMessage());
		}
	}

	/**
	 * Check that a duration is positive.
	 * @param property the property
	 * @param value the value
	 * @return the value
	 */
	public static Duration positive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"It must be a positive duration, such as 5s");
		}
		return value;
	}

	/**
	 * Check that a duration is not negative.
	 * @param property the property
	 * @param value the value
	 * @return the value
	 */
	public static Duration notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must not be negative");
		}
		return value;
	}

	/**
	 * Check that a limit is at least 1.
	 * @param property the property
	 * @param value the value
	 * @return the value
	 */
	public static int atLeastOne(String property, Integer value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be at least 1");
		}
		return value;
	}

	/**
	 * Check that a size is between one byte and a limit.
	 * @param property the property
	 * @param value the value
	 * @param limit the largest size in bytes
	 * @param shown the limit as the message shows it, such as {@code 2047MB}
	 * @return the size in bytes
	 */
	public static long bytes(String property, DataSize value, long limit, String shown) {
		long bytes = value.toBytes();
		if (bytes < 1 || bytes > limit) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"It must be between 1B and " + shown + ", such as 10MB");
		}
		return bytes;
	}

}
