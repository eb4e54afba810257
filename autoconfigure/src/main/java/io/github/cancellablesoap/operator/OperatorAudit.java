package io.github.cancellablesoap.operator;

import java.util.List;
import java.util.function.Supplier;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The frame around every operator request: authorise, act, and for writes audit. A
 * refused user gets 401 or 403 without the verb running; malformed input found while
 * acting ({@link OperatorRequestException}) becomes its answer; every write, refused or
 * not, is logged and handed to the {@link OperatorActionListener listeners} as an
 * {@link OperatorAction}. A listener that throws is logged and breaks nothing else.
 * <p>
 * The log category is {@link OperatorService}'s, where operators look for it.
 * <p>
 * Thread-safe: every method may be called from any thread.
 *
 * @author Cancellable SOAP
 */
final class OperatorAudit {

	private static final Log logger = LogFactory.getLog(OperatorService.class);

	private final OperatorAuthorizer authorizer;

	private final List<OperatorActionListener> listeners;

	OperatorAudit(OperatorAuthorizer authorizer, List<OperatorActionListener> listeners) {
		this.authorizer = authorizer;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Run a read if the current user may read.
	 * @param read the read
	 * @return its answer, or a refusal
	 */
	OperatorAnswer read(Supplier<OperatorAnswer> read) {
		OperatorAnswer denied = denied(false);
		return (denied != null) ? denied : answer(read);
	}

	/**
	 * Run a write if the current user may act, then audit it.
	 * @param verb the verb as requested
	 * @param collection the collection as requested
	 * @param id the target's name or id as requested
	 * @param reason the cleaned reason, or {@code null}
	 * @param write the write
	 * @return its answer, or a refusal
	 */
	OperatorAnswer write(String verb, String collection, String id, @Nullable String reason,
			Supplier<OperatorAnswer> write) {
		OperatorAnswer denied = denied(true);
		OperatorAnswer answer = (denied != null) ? denied : answer(write);
		OperatorAction action = new OperatorAction(this.authorizer.principal(),
				OperatorInput.clean(verb, OperatorInput.MAX_WORD_LENGTH),
				OperatorInput.clean(collection, OperatorInput.MAX_WORD_LENGTH) + ":"
						+ OperatorInput.clean(id, OperatorInput.MAX_ID_LENGTH),
				reason, answer);
		log(action);
		for (OperatorActionListener listener : this.listeners) {
			try {
				listener.actionTaken(action);
			}
			catch (RuntimeException ex) {
				logger.warn("Operator action listener failed", ex);
			}
		}
		return answer;
	}

	private static OperatorAnswer answer(Supplier<OperatorAnswer> request) {
		try {
			return request.get();
		}
		catch (OperatorRequestException ex) {
			return ex.answer();
		}
	}

	private @Nullable OperatorAnswer denied(boolean write) {
		return switch (this.authorizer.authorize(write)) {
			case ALLOWED -> null;
			case UNAUTHENTICATED -> OperatorAnswer.error(Status.UNAUTHORIZED, "Authentication is required");
			case FORBIDDEN -> OperatorAnswer.error(Status.FORBIDDEN, "Operator verbs need the operator role");
		};
	}

	private static void log(OperatorAction action) {
		ActionResult result = action.actionResult();
		StringBuilder line = new StringBuilder("Operator action principal=").append(action.principal())
			.append(" verb=")
			.append(action.verb())
			.append(" target=")
			.append(action.target())
			.append(" status=")
			.append(action.answer().httpStatus())
			.append(" result=\"")
			.append(action.result())
			.append('"');
		if (result != null) {
			line.append(" previousState=")
				.append(result.previousState())
				.append(" newState=")
				.append(result.newState())
				.append(" ioCancelled=")
				.append(result.ioCancelled())
				.append(" affected=")
				.append(result.affected())
				.append(" elapsedMs=")
				.append(result.elapsedMillis());
		}
		if (action.reason() != null) {
			line.append(" reason=\"").append(action.reason().replace('"', '\'')).append('"');
		}
		if (action.answer().isOk()) {
			logger.info(line);
		}
		else {
			logger.warn(line);
		}
	}

}
