package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made by a test, written as PEM files that Boot's
 * {@code spring.ssl.bundle.pem.*} reads: a certificate authority, a server certificate it
 * signs for chosen host names, a client certificate it signs, and an unrelated authority.
 * EC P-256 keys, valid from an hour ago for a day; nothing leaves the machine.
 * <p>
 * Thread-safe: each method creates files of its own.
 *
 * @author Cancellable SOAP
 */
public final class TestCertificates {

	private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Certificates written under a directory.
	 * @param directory where the PEM files go
	 * @return the factory
	 */
	public static TestCertificates in(Path directory) {
		return new TestCertificates(directory);
	}

	/**
	 * A self-signed certificate authority.
	 * @param name its common name and the base of its file names
	 * @return the authority
	 */
	public Authority authority(String name) {
		KeyPair keys = keyPair();
		X500Name subject = new X500Name("CN=" + name);
		X509Certificate certificate = sign(subject, keys, subject, keys.getPrivate(), (builder) -> {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		});
		return new Authority(subject, keys, write(name + ".crt", certificate));
	}

	private static KeyPair keyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
			Extensions extensions) {
		Instant now = Instant.now();
		try {
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
					BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
					Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
			extensions.add(builder);
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
		}
		catch (IOException | OperatorCreationException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Path write(String file, Object pemObject) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(pemObject);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			return Files.writeString(this.directory.resolve(file), text.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path writeKey(String file, PrivateKey key) {
		try {
			return write(file, new JcaPKCS8Generator(key, null).generate());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Adds extensions to a certificate being built.
	 */
	@FunctionalInterface
	private interface Extensions {

		void add(X509v3CertificateBuilder builder) throws IOException;

	}

	/**
	 * A certificate authority that signs server and client certificates.
	 */
	public final class Authority {

		private final X500Name subject;

		private final KeyPair keys;

		private final Path certificate;

		Authority(X500Name subject, KeyPair keys, Path certificate) {
			this.subject = subject;
			this.keys = keys;
			this.certificate = certificate;
		}

		/**
		 * The authority's certificate, as a PEM file.
		 * @return the file
		 */
		public Path certificate() {
			return this.certificate;
		}

		/**
		 * A server certificate for host names.
		 * @param name the common name and the base of the file names
		 * @param dnsNames the host names it covers (its subject alternative names)
		 * @return the certificate and key
		 */
		public Issued server(String name, String... dnsNames) {
			GeneralName[] names = new GeneralName[dnsNames.length];
			for (int i = 0; i < dnsNames.length; i++) {
				names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
			}
			return issue(name, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names));
		}

		/**
		 * A client certificate, for mutual TLS.
		 * @param name the common name and the base of the file names
		 * @return the certificate and key
		 */
		public Issued client(String name) {
			return issue(name, KeyPurposeId.id_kp_clientAuth, null);
		}

		private Issued issue(String name, KeyPurposeId purpose, GeneralNames alternativeNames) {
			KeyPair issued = keyPair();
			X509Certificate certificate = sign(new X500Name("CN=" + name), issued, this.subject, this.keys.getPrivate(),
					(builder) -> {
						builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
						builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
						if (alternativeNames != null) {
							builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
						}
					});
			return new Issued(write(name + ".crt", certificate), writeKey(name + ".key", issued.getPrivate()));
		}

	}

	/**
	 * A certificate and its private key, as PEM files.
	 *
	 * @param certificate the certificate
	 * @param privateKey the private key (PKCS#8, unencrypted)
	 */
	public record Issued(Path certificate, Path privateKey) {

	}

}
