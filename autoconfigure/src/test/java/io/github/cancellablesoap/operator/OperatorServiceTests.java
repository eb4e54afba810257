package io.github.cancellablesoap.operator;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.client.CallInfo;
import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.ProxyState;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.core.VerbResult;
import io.github.cancellablesoap.operator.Descriptors.ProxyDescriptor;
import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator service on its own: listings stay small and read only what they show with
 * ten thousand calls in flight, reasons are cleaned, and the Spring Security authorizer
 * reads the current authentication.
 */
class OperatorServiceTests {

	private final List<OperatorAction> actions = new ArrayList<>();

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aListingOfTenThousandCallsReadsNoMoreCallsThanItShows() {
		ReadCountingList calls = new ReadCountingList();
		Instant start = Instant.now();
		for (int i = 0; i < 10_000; i++) {
			calls.add(new CallInfo("c-" + Integer.toString(i + 1, 36), "big", "echo", start, Duration.ofMillis(i),
					CallPhase.WAITING_FOR_RESPONSE, false, null, "ch-" + Integer.toString(i + 1, 36), null));
		}
		OperatorService service = service(fakeProxy("big", calls, new AtomicReference<>()));

		OperatorAnswer defaults = service.read("proxies", "big", null);
		int readForDefaults = calls.reads.getAndSet(0);
		OperatorAnswer most = service.read("proxies", "big", OperatorService.MAX_LIMIT);
		int readForMost = calls.reads.get();

		ProxyDescriptor listed = (ProxyDescriptor) defaults.body();
		assertThat(listed.total()).isEqualTo(10_000);
		assertThat(listed.calls()).hasSize(OperatorService.DEFAULT_LIMIT);
		assertThat(listed.truncated()).isTrue();
		assertThat(((ProxyDescriptor) most.body()).calls()).hasSize(OperatorService.MAX_LIMIT);
		assertThat(service.read("proxies", "big", OperatorService.MAX_LIMIT + 1).status())
			.isEqualTo(Status.BAD_REQUEST);
		assertThat(readForDefaults).isEqualTo(OperatorService.DEFAULT_LIMIT);
		assertThat(readForMost).isEqualTo(OperatorService.MAX_LIMIT);
	}

	@Test
	void reasonsLoseControlCharactersAndAreCutToTheirLimit() {
		AtomicReference<String> seen = new AtomicReference<>();
		OperatorService service = service(fakeProxy("p", List.of(), seen));

		OperatorAnswer answer = service.act("proxies", "p", "abort", "line\r\nbreak\u0000" + "x".repeat(500));

		assertThat(seen.get()).startsWith("linebreakx").hasSize(OperatorService.MAX_REASON_LENGTH);
		assertThat(((ActionResult) answer.body()).reason()).isEqualTo(seen.get());
		assertThat(this.actions).singleElement().satisfies((action) -> {
			assertThat(action.verb()).isEqualTo("abort");
			assertThat(action.target()).isEqualTo("proxies:p");
			assertThat(action.result()).isEqualTo("changed");
		});
	}

	@Test
	void reasonsLoseLineAndParagraphSeparatorsBidiControlsAndLoneSurrogates() {
		AtomicReference<String> seen = new AtomicReference<>();
		OperatorService service = service(fakeProxy("p", List.of(), seen));

		service.act("proxies", "p", "abort",
				"a\u2028b\u2029c\u0085d\u202Ee\u2066f\u2069g\u200Bh\u200Fi\uD800j\uDC00k \uD83D\uDE00");

		assertThat(seen.get()).isEqualTo("abcdefghijk \uD83D\uDE00");
		assertThat(this.actions).singleElement()
			.satisfies((action) -> assertThat(action.reason()).isEqualTo("abcdefghijk \uD83D\uDE00"));
	}

	@Test
	void concurrentAbortsThroughTheServiceChangeTheProxyOnceAndAreEachAudited() throws Exception {
		int threads = 16;
		List<OperatorAction> audited = new CopyOnWriteArrayList<>();
		ServiceProxy proxy = fakeProxy("p", List.of(), new AtomicReference<>());
		OperatorService service = new OperatorService(() -> List.of(proxy), List::of, OperatorAuthorizer.PERMIT_ALL,
				List.of(audited::add));
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<OperatorAnswer>> answers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return service.act("proxies", "p", "abort", "race");
				}));
			}
			start.countDown();
			List<String> outcomes = new ArrayList<>();
			for (Future<OperatorAnswer> answer : answers) {
				outcomes.add(((ActionResult) answer.get(10, TimeUnit.SECONDS).body()).outcome());
			}
			assertThat(outcomes).containsOnlyOnce(ActionResult.CHANGED)
				.filteredOn(ActionResult.NO_CHANGE::equals)
				.hasSize(threads - 1);
			assertThat(audited).hasSize(threads).allSatisfy((action) -> {
				assertThat(action.target()).isEqualTo("proxies:p");
				assertThat(action.reason()).isEqualTo("race");
			});
			assertThat(audited).extracting(OperatorAction::result).containsOnlyOnce(ActionResult.CHANGED);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void theSpringSecurityAuthorizerWantsAUserToReadAndTheRoleToWrite() {
		SpringSecurityOperatorAuthorizer authorizer = new SpringSecurityOperatorAuthorizer("OPS");
		assertThat(authorizer.authorize(false)).isEqualTo(OperatorAuthorizer.Decision.UNAUTHENTICATED);
		assertThat(authorizer.principal()).isEqualTo(OperatorAuthorizer.ANONYMOUS);

		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertThat(authorizer.authorize(false)).isEqualTo(OperatorAuthorizer.Decision.UNAUTHENTICATED);

		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("ann", "n/a",
					AuthorityUtils.createAuthorityList("ROLE_VIEWER")));
		assertThat(authorizer.authorize(false)).isEqualTo(OperatorAuthorizer.Decision.ALLOWED);
		assertThat(authorizer.authorize(true)).isEqualTo(OperatorAuthorizer.Decision.FORBIDDEN);
		assertThat(authorizer.principal()).isEqualTo("ann");

		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("bob", "n/a",
					AuthorityUtils.createAuthorityList("ROLE_OPS")));
		assertThat(authorizer.authorize(true)).isEqualTo(OperatorAuthorizer.Decision.ALLOWED);
	}

	private OperatorService service(ServiceProxy proxy) {
		return new OperatorService(() -> List.of(proxy), List::of, OperatorAuthorizer.PERMIT_ALL,
				List.of(this.actions::add));
	}

	/**
	 * A proxy that lists the given calls and records the reason of an abort; every other
	 * method is unsupported.
	 */
	/**
	 * A call snapshot that counts the calls read out of it, to prove that a listing costs
	 * what it shows, not what is in flight.
	 */
	private static final class ReadCountingList extends AbstractList<CallInfo> {

		private final List<CallInfo> calls = new ArrayList<>();

		private final AtomicInteger reads = new AtomicInteger();

		@Override
		public boolean add(CallInfo call) {
			return this.calls.add(call);
		}

		@Override
		public CallInfo get(int index) {
			this.reads.incrementAndGet();
			return this.calls.get(index);
		}

		@Override
		public int size() {
			return this.calls.size();
		}

	}

	private static ServiceProxy fakeProxy(String name, List<CallInfo> calls, AtomicReference<String> abortReason) {
		AtomicReference<ProxyState> state = new AtomicReference<>(ProxyState.OPEN);
		return (ServiceProxy) Proxy.newProxyInstance(OperatorServiceTests.class.getClassLoader(),
				new Class<?>[] { ServiceProxy.class }, (self, method, args) -> switch (method.getName()) {
					case "name" -> name;
					case "address" -> URI.create("http://localhost/ws");
					case "state" -> state.get();
					case "calls" -> (calls instanceof ReadCountingList) ? calls : List.copyOf(calls);
					case "call" -> calls.stream().filter((call) -> call.id().equals(args[0])).findFirst();
					case "pendingCalls" -> calls.size();
					case "abandonedCalls" -> 0;
					case "abortAndReport" -> {
						abortReason.set((String) args[0]);
						boolean changed = state.compareAndSet(ProxyState.OPEN, ProxyState.FAULTED);
						yield changed ? new VerbResult("OPEN", "FAULTED", true, false, 0)
								: VerbResult.unchanged(state.get().name());
					}
					case "toString" -> "fake proxy " + name;
					case "hashCode" -> System.identityHashCode(self);
					case "equals" -> self == args[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
