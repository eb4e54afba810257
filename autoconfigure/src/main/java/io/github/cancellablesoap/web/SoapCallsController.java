package io.github.cancellablesoap.web;

import io.github.cancellablesoap.operator.OperatorAnswer;
import io.github.cancellablesoap.operator.OperatorError;
import io.github.cancellablesoap.operator.OperatorService;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST abort controller, under {@code cancellable-soap.controller.path} (default
 * {@code /soapcalls}): the same reads and verbs as the {@code soapcalls} actuator
 * endpoint, through the same {@link OperatorService}, answering RFC 9457 problem details
 * on errors. Registered only when {@code cancellable-soap.controller.enabled=true}.
 * <p>
 * Thread-safe: it keeps no state; every method may be called from any request thread.
 *
 * @author Cancellable SOAP
 */
@RestController
@RequestMapping("${cancellable-soap.controller.path:/soapcalls}")
public class SoapCallsController {

	private final OperatorService operator;

	public SoapCallsController(OperatorService operator) {
		this.operator = operator;
	}

	/**
	 * Every proxy and host with its state and counts.
	 * @return the response
	 */
	@GetMapping
	public ResponseEntity<Object> soapCalls() {
		return respond(this.operator.overview());
	}

	/**
	 * One proxy with its calls, call, host with its operations, or operation.
	 * @param collection {@code proxies}, {@code calls}, {@code hosts} or
	 * {@code operations}
	 * @param id the name or id
	 * @param limit the most calls or operations to list
	 * @param callerCallId for a host, list only the operations whose caller sent this
	 * call id
	 * @return the response
	 */
	@GetMapping("/{collection}/{id}")
	public ResponseEntity<Object> resource(@PathVariable String collection, @PathVariable String id,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String callerCallId) {
		return respond(this.operator.read(collection, id, limit, callerCallId));
	}

	/**
	 * A verb on a proxy, a host or a channel.
	 * @param collection {@code proxies}, {@code hosts} or {@code channels}
	 * @param id the name or channel id
	 * @param request the verb and the reason
	 * @return the response
	 */
	@PostMapping("/{collection}/{id}")
	public ResponseEntity<Object> act(@PathVariable String collection, @PathVariable String id,
			@RequestBody(required = false) @Nullable ActionRequest request) {
		return respond(this.operator.act(collection, id, (request != null) ? request.action() : null,
				(request != null) ? request.reason() : null));
	}

	/**
	 * Abandon or abort a call, or cancel an operation.
	 * @param collection {@code calls} or {@code operations}
	 * @param id the call or operation id
	 * @param mode for calls, {@code abandon} (default) or {@code abort}
	 * @param reason why
	 * @return the response
	 */
	@DeleteMapping("/{collection}/{id}")
	public ResponseEntity<Object> remove(@PathVariable String collection, @PathVariable String id,
			@RequestParam(required = false) @Nullable String mode,
			@RequestParam(required = false) @Nullable String reason) {
		return respond(this.operator.remove(collection, id, mode, reason));
	}

	private static ResponseEntity<Object> respond(OperatorAnswer answer) {
		if (answer.isOk()) {
			return ResponseEntity.ok(answer.body());
		}
		HttpStatus status = HttpStatus.valueOf(answer.httpStatus());
		ProblemDetail problem = ProblemDetail.forStatus(status);
		if (answer.body() instanceof OperatorError error) {
			problem.setTitle(error.title());
			problem.setDetail(error.detail());
			if (error.state() != null) {
				problem.setProperty("state", error.state());
			}
		}
		return ResponseEntity.status(status).body(problem);
	}

	/**
	 * The body of a POST.
	 *
	 * @param action the verb
	 * @param reason why, or {@code null}
	 */
	public record ActionRequest(@Nullable String action, @Nullable String reason) {

	}

}
