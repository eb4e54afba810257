package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BooleanSupplier;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.XmlStructureException;
import io.github.cancellablesoap.core.XmlStructureGuard;

/**
 * The body of one admitted request, taken in without blocking and checked while it
 * streams: its size against {@code max-request-size} and its nesting against
 * {@code max-xml-depth}, so that a body past a bound is refused before it was buffered
 * whole.
 * <p>
 * Not thread-safe: the container serialises the read callbacks of one request, and only
 * they feed it; {@link #bytes()} is read once the body is in.
 */
final class RequestBody {

	private static final Log logger = LogFactory.getLog(RequestBody.class);

	private final String host;

	private final long maxBytes;

	private final XmlStructureGuard guard;

	private final ByteArrayOutputStream bytes;

	private final byte[] buffer = new byte[8192];

	private long received;

	/**
	 * Create an empty body.
	 * @param settings the host's settings, for its name and bounds
	 * @param declaredLength the length the request declared, or a negative number
	 */
	RequestBody(ServiceHostSettings settings, long declaredLength) {
		this.host = settings.name();
		this.maxBytes = settings.maxRequestBytes();
		this.guard = new XmlStructureGuard(settings.maxXmlDepth());
		this.bytes = new ByteArrayOutputStream(
				(declaredLength > 0 && declaredLength < 1 << 20) ? (int) declaredLength : 4096);
	}

	/**
	 * Take in what the stream holds now, without blocking.
	 * @param stream the request's input stream, in non-blocking mode
	 * @param receiving whether the exchange still receives; checked before each read
	 * @return {@code null} while the body is within its bounds, else why it is refused
	 */
	@Nullable Refusal readAvailable(ServletInputStream stream, BooleanSupplier receiving) {
		while (receiving.getAsBoolean() && stream.isReady()) {
			int read;
			try {
				read = stream.read(this.buffer);
			}
			catch (IOException ex) {
				// the container has usually answered already (its error page)
				logger.debug("Cannot read a request body of service host '" + this.host + "'", ex);
				return new Refusal(HttpServletResponse.SC_BAD_REQUEST, "malformed-body",
						"The request body sent to " + "service host '" + this.host
								+ "' could not be read: its framing is broken or it ended early");
			}
			if (read < 0) {
				return null;
			}
			Refusal refusal = accept(read);
			if (refusal != null) {
				return refusal;
			}
		}
		return null;
	}

	private @Nullable Refusal accept(int read) {
		this.received += read;
		if (this.received > this.maxBytes) {
			return new Refusal(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request-too-large",
					"The request body of service host '" + this.host + "' is larger than its limit of " + this.maxBytes
							+ " bytes (max-request-size)");
		}
		try {
			this.guard.feed(this.buffer, 0, read);
		}
		catch (XmlStructureException ex) {
			return new Refusal(HttpServletResponse.SC_BAD_REQUEST,
					ex.isLimitExceeded() ? "xml-too-deep" : "malformed-xml",
					ex.getMessage() + (ex.isLimitExceeded() ? " (max-xml-depth)" : ""));
		}
		this.bytes.write(this.buffer, 0, read);
		return null;
	}

	/**
	 * The body taken in so far.
	 * @return a copy of its bytes
	 */
	byte[] bytes() {
		return this.bytes.toByteArray();
	}

	/**
	 * Why a request is refused for what it carries.
	 *
	 * @param status the HTTP status
	 * @param reason one of {@link CancellationFaults#REFUSED_REASONS}
	 * @param text the fault string
	 */
	record Refusal(int status, String reason, String text) {

	}

}
