package io.github.cancellablesoap.testsupport;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.WSConstants;

import org.springframework.ws.soap.security.wss4j2.Wss4jSecurityInterceptor;
import org.springframework.ws.soap.security.wss4j2.callback.SimplePasswordValidationCallbackHandler;

/**
 * Keys for WS-Security tests and the Spring WS interceptors that use them: key pairs
 * "client" (trusted by {@link #validating()}; also copied under a wrong password) and
 * "intruder" (not trusted), made with {@link TestKeyStores} once per JVM.
 * <p>
 * Thread-safe: the stores are made once, when the class initialises; each method builds a
 * new interceptor.
 *
 * @author Cancellable SOAP
 */
public final class WsSecurityKeys {

	/** The user name of the tokens; {@link #validating()} knows only this user. */
	public static final String USER = "alice";

	/**
	 * {@link #USER}'s password, also the password of the stores of "client" and
	 * "intruder".
	 */
	public static final String PASSWORD = "wonderland-secret";

	/**
	 * A password {@link #validating()} refuses, that of {@link #CLIENT_WRONG_PASSWORD}.
	 */
	public static final String WRONG_PASSWORD = "guessed-secret";

	private static final String TRUST_PASSWORD = "trust-secret";

	private static final Path DIR = TestKeyStores.temporaryDirectory("ws-security");

	/** The PKCS12 store of the trusted key pair "client". */
	public static final Path CLIENT = TestKeyStores.keyPair(DIR, "client", PASSWORD);

	/** A copy of {@link #CLIENT} under {@link #WRONG_PASSWORD}. */
	public static final Path CLIENT_WRONG_PASSWORD = TestKeyStores.copy(CLIENT, PASSWORD,
			DIR.resolve("client-wrong.p12"), WRONG_PASSWORD);

	/** The PKCS12 store of the key pair "intruder", which no trust store holds. */
	public static final Path INTRUDER = TestKeyStores.keyPair(DIR, "intruder", PASSWORD);

	private static final Path TRUST = TestKeyStores.trust(DIR.resolve("trust.p12"), TRUST_PASSWORD, CLIENT, PASSWORD,
			"client");

	/** The PKCS12 store of the key pair "host", which signs responses. */
	public static final Path HOST = TestKeyStores.keyPair(DIR, "host", PASSWORD);

	private static final Path HOST_TRUST = TestKeyStores.trust(DIR.resolve("host-trust.p12"), TRUST_PASSWORD, HOST,
			PASSWORD, "host");

	private WsSecurityKeys() {
	}

	/**
	 * A proxy's interceptor that {@link #validating()} accepts: {@link #USER}'s token and
	 * password, signed by "client".
	 * @param passwordType how the token carries the password
	 * ({@code WSConstants.PW_DIGEST} or {@code PW_TEXT})
	 * @return the initialised interceptor
	 */
	public static Wss4jSecurityInterceptor trusted(String passwordType) {
		return securing(passwordType, CLIENT, PASSWORD);
	}

	/**
	 * A proxy's interceptor: a timestamp, a UsernameToken for {@link #USER} and a
	 * signature of the body by the store's only key, whose password is also the token's.
	 * @param passwordType how the token carries the password
	 * @param keyStore the PKCS12 store of the signing key
	 * @param password the store's, the key's and the token's password
	 * @return the initialised interceptor
	 */
	public static Wss4jSecurityInterceptor securing(String passwordType, Path keyStore, String password) {
		KeyStore keys = TestKeyStores.load(keyStore, password);
		Wss4jSecurityInterceptor interceptor = new Wss4jSecurityInterceptor();
		interceptor.setSecurementActions("Timestamp Signature UsernameToken");
		interceptor.setSecurementUsername(USER);
		interceptor.setSecurementPassword(password);
		interceptor.setSecurementPasswordType(passwordType);
		interceptor.setSecurementSignatureUser(onlyAlias(keys));
		interceptor.setSecurementSignatureKeyIdentifier("DirectReference");
		interceptor.setSecurementSignatureCrypto(crypto(keys));
		return initialized(interceptor);
	}

	/**
	 * The host's interceptor: a timestamp, a signature by a certificate of the trust
	 * store ("client" only), and {@link #USER}'s token, digest or text.
	 * @return the initialised interceptor
	 */
	public static Wss4jSecurityInterceptor validating() {
		SimplePasswordValidationCallbackHandler users = new SimplePasswordValidationCallbackHandler();
		users.setUsersMap(Map.of(USER, PASSWORD));
		Wss4jSecurityInterceptor interceptor = new Wss4jSecurityInterceptor();
		interceptor.setValidationActions("Timestamp Signature UsernameToken");
		interceptor.setValidationCallbackHandler(users);
		interceptor.setValidationSignatureCrypto(crypto(TestKeyStores.load(TRUST, TRUST_PASSWORD)));
		interceptor.setValidationSubjectDnConstraints(List.of(Pattern.compile("CN=client")));
		return initialized(interceptor);
	}

	/**
	 * A host's interceptor that signs responses (with a timestamp) by "host" and
	 * validates nothing.
	 * @return the initialised interceptor
	 */
	public static Wss4jSecurityInterceptor signingResponses() {
		KeyStore keys = TestKeyStores.load(HOST, PASSWORD);
		Wss4jSecurityInterceptor interceptor = new Wss4jSecurityInterceptor();
		interceptor.setSecurementActions("Timestamp Signature");
		interceptor.setSecurementUsername("host");
		interceptor.setSecurementPassword(PASSWORD);
		interceptor.setSecurementSignatureKeyIdentifier("DirectReference");
		interceptor.setSecurementSignatureCrypto(crypto(keys));
		return initialized(interceptor);
	}

	/**
	 * A proxy's interceptor that secures requests as {@link #trusted} does and validates
	 * the timestamp and signature of responses.
	 * @param hostTrusted whether the "host" certificate is trusted; when not, only
	 * "intruder" is
	 * @return the initialised interceptor
	 */
	public static Wss4jSecurityInterceptor mutual(boolean hostTrusted) {
		Wss4jSecurityInterceptor interceptor = securing(WSConstants.PW_DIGEST, CLIENT, PASSWORD);
		interceptor.setValidationActions("Timestamp Signature");
		Path trust = hostTrusted ? HOST_TRUST : TestKeyStores.trust(DIR.resolve("intruder-trust.p12"), TRUST_PASSWORD,
				INTRUDER, PASSWORD, "intruder");
		interceptor.setValidationSignatureCrypto(crypto(TestKeyStores.load(trust, TRUST_PASSWORD)));
		interceptor.setValidationSubjectDnConstraints(List.of(Pattern.compile("CN=host")));
		return initialized(interceptor);
	}

	private static Merlin crypto(KeyStore store) {
		Merlin crypto = new Merlin();
		crypto.setKeyStore(store);
		crypto.setTrustStore(store);
		return crypto;
	}

	private static String onlyAlias(KeyStore keys) {
		try {
			return keys.aliases().nextElement();
		}
		catch (KeyStoreException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Wss4jSecurityInterceptor initialized(Wss4jSecurityInterceptor interceptor) {
		try {
			interceptor.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot set up WS-Security", ex);
		}
		return interceptor;
	}

}
