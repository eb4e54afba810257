package io.github.cancellablesoap.sample.demo;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.Addresses;
import io.github.cancellablesoap.operator.ActionResult;
import io.github.cancellablesoap.operator.OperatorAnswer;
import io.github.cancellablesoap.operator.OperatorError;
import io.github.cancellablesoap.operator.OperatorService;
import io.github.cancellablesoap.sample.client.Quote;
import io.github.cancellablesoap.sample.client.QuotesClient;
import io.github.cancellablesoap.sample.client.Report;
import io.github.cancellablesoap.sample.service.ReportDesk;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's REST front end: it calls the quotes service through the {@code quotes}
 * proxy, lists the proxy's calls and applies its verbs, so that all of it can be tried
 * with curl.
 * <p>
 * The verbs (abandon or abort a call, abort, close, open or reset the proxy) run through
 * the same {@link OperatorService} as the {@code soapcalls} endpoint: they need the
 * operator role and every one of them is audited.
 * <p>
 * Thread-safe: it keeps no state of its own; every method may be called from any request
 * thread.
 *
 * @author Cancellable SOAP
 */
@RestController
@RequestMapping("/demo")
public class DemoController {

	/** The reason given to the operator service when a verb names none. */
	private static final String REASON = "demo";

	private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.]{1,12}");

	private final QuotesClient client;

	private final ReportBook reports;

	private final ReportDesk desk;

	private final OperatorService operator;

	public DemoController(QuotesClient client, ReportBook reports, ReportDesk desk, OperatorService operator) {
		this.client = client;
		this.reports = reports;
		this.desk = desk;
		this.operator = operator;
	}

	/**
	 * The server side's view: report operations of the quotes service host that were
	 * cancelled, with the reason the host gave them.
	 * @return the last cancellations, newest first
	 */
	@GetMapping("/server/cancellations")
	public List<ReportDesk.Cancellation> cancellations() {
		return this.desk.cancellations();
	}

	/**
	 * Ask for a quote and wait for it.
	 * @param symbol the symbol
	 * @return the quote
	 */
	@PostMapping("/quotes/{symbol}")
	public Quote quote(@PathVariable String symbol) {
		if (!SYMBOL.matcher(symbol).matches()) {
			throw new IllegalArgumentException("A symbol is 1 to 12 letters, digits or dots, not '" + symbol + "'");
		}
		return this.client.quote(symbol);
	}

	/**
	 * Start a slow report and answer at once with its call id.
	 * @param delayMs how long the service works on the report
	 * @return 202 with the call id
	 */
	@PostMapping("/reports")
	public ResponseEntity<ReportStatus> startReport(@RequestParam(defaultValue = "20000") long delayMs) {
		if (delayMs < 0 || delayMs > ReportDesk.MAX_DELAY.toMillis()) {
			throw new IllegalArgumentException(
					"delayMs must be between 0 and " + ReportDesk.MAX_DELAY.toMillis() + ", not " + delayMs);
		}
		PendingCall<Report> call = this.client.submitReport(delayMs);
		this.reports.started(call.callId(), delayMs);
		call.result().whenComplete((report, failure) -> this.reports.ended(call.callId(), report, failure));
		ReportStatus status = this.reports.find(call.callId()).orElseThrow();
		return ResponseEntity.accepted().location(URI.create("/demo/reports/" + call.callId())).body(status);
	}

	/**
	 * The status of a report, with its call while the call's I/O is in flight.
	 * @param callId the report's call id
	 * @return 200 with the status, or 404
	 */
	@GetMapping("/reports/{callId}")
	public ResponseEntity<Map<String, Object>> report(@PathVariable String callId) {
		Optional<ReportStatus> status = this.reports.find(callId);
		if (status.isEmpty()) {
			return notFound("No report with call id '" + callId + "'");
		}
		return ResponseEntity.ok(body("report", status.get(), "call", proxy().call(callId).orElse(null)));
	}

	/**
	 * The calls the proxy has in flight, abandoned ones included.
	 * @return the calls, oldest first
	 */
	@GetMapping("/calls")
	public List<CallInfo> calls() {
		return proxy().calls();
	}

	/**
	 * Abandon or abort one call, through the operator service: operators only, audited.
	 * @param callId the call id
	 * @param mode {@code abandon} (the default) or {@code abort}
	 * @return 200 when done, 404 when no such call is in flight, 409 when it cannot be
	 * done any more, 400 for an unknown mode, 401 or 403 without the operator role
	 */
	@DeleteMapping("/calls/{callId}")
	public ResponseEntity<Map<String, Object>> cancelCall(@PathVariable String callId,
			@RequestParam(defaultValue = "abandon") String mode) {
		return respond(this.operator.remove("calls", callId, mode, REASON), (result) -> {
			Map<String, Object> body = body("callId", result.name(), "mode", result.action(), "done", result.changed());
			if (!result.changed()) {
				body.put("error", "Call '" + result.name() + "' could not be "
						+ (result.action().equals("abort") ? "aborted" : "abandoned") + " any more");
			}
			body.put("call", proxy().call(result.name()).orElse(null));
			return ResponseEntity.status(result.changed() ? HttpStatus.OK : HttpStatus.CONFLICT).body(body);
		});
	}

	/**
	 * The proxy's name, address, state and number of calls in flight.
	 * @return the description
	 */
	@GetMapping("/proxy")
	public Map<String, Object> proxyStatus() {
		ServiceProxy proxy = proxy();
		return body("name", proxy.name(), "address", Addresses.redact(proxy.address()), "state", proxy.state(),
				"pendingCalls", proxy.pendingCalls());
	}

	/**
	 * Apply a verb to the proxy, through the operator service: operators only, audited.
	 * @param action {@code abort}, {@code close}, {@code open}, {@code reset} or
	 * {@code abandon-all}
	 * @param reason why, kept in the audit
	 * @return 200 with the previous and new state, 409 when the verb is not valid in the
	 * proxy's state, 400 for an unknown verb, 401 or 403 without the operator role
	 */
	@PostMapping("/proxy/{action}")
	public ResponseEntity<Map<String, Object>> proxyAction(@PathVariable String action,
			@RequestParam(defaultValue = REASON) String reason) {
		return respond(this.operator.act("proxies", proxy().name(), action, reason),
				(result) -> ResponseEntity.ok(body("name", result.name(), "action", result.action(), "changed",
						result.changed(), "previousState", result.previousState(), "state", result.newState())));
	}

	private ServiceProxy proxy() {
		return this.client.proxy();
	}

	/**
	 * The answer of a verb: what {@code done} makes of its result, or the refusal with
	 * the operator service's status, its error detail and, for a conflict, the state.
	 */
	private static ResponseEntity<Map<String, Object>> respond(OperatorAnswer answer,
			Function<ActionResult, ResponseEntity<Map<String, Object>>> done) {
		if (answer.body() instanceof ActionResult result) {
			return done.apply(result);
		}
		Map<String, Object> body = body("error", answer.status().title());
		if (answer.body() instanceof OperatorError error) {
			body.put("error", error.detail());
			if (error.state() != null) {
				body.put("state", error.state());
			}
		}
		return ResponseEntity.status(answer.httpStatus()).body(body);
	}

	/**
	 * A JSON object with its keys in the given order; values may be {@code null}.
	 */
	private static Map<String, Object> body(Object... keysAndValues) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			body.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return body;
	}

	private static ResponseEntity<Map<String, Object>> notFound(String message) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", message));
	}

}
