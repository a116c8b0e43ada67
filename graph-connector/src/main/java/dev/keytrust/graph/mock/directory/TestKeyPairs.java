package dev.keytrust.graph.mock.directory;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic RSA-2048 key pairs for simulated WHfB devices: the same seed gives the same keys in the same order,
 * in every run and on every machine.
 *
 * <p>Generating a fresh RSA-2048 pair costs 50–200 ms, too slow for a tenant of 10,000 users. Pairs are therefore
 * built from a seeded pool of 1024-bit primes, each pair of primes making one modulus: {@code k} primes give
 * {@code k(k-1)/2} distinct keys (150 primes, about 3 s of work, give 11,175). Keys that share a prime are
 * trivially breakable — these are test keys, never to be used outside the testbed.
 */
public final class TestKeyPairs {
    private static final BigInteger E = BigInteger.valueOf(65_537);
    private final Random random;
    private final List<BigInteger> primes = new ArrayList<>();
    private long issued;

    public TestKeyPairs(long seed) {
        this.random = new Random(seed * 0x9E37_79B9_7F4A_7C15L + 0x4B45_5954L);
    }

    /** The next key pair of the sequence. */
    public synchronized KeyPair next() {
        long n = issued++;
        int j = (int) Math.floor((1 + Math.sqrt(1 + 8.0 * n)) / 2);
        while ((long) j * (j - 1) / 2 > n) {
            j--;
        }
        while ((long) (j + 1) * j / 2 <= n) {
            j++;
        }
        int i = (int) (n - (long) j * (j - 1) / 2);
        while (primes.size() <= j) {
            primes.add(nextPrime());
        }
        return pair(primes.get(i), primes.get(j));
    }

    private BigInteger nextPrime() {
        while (true) {
            BigInteger candidate = new BigInteger(1024, random).setBit(1023).setBit(1022).nextProbablePrime();
            if (candidate.bitLength() == 1024 && !candidate.subtract(BigInteger.ONE).mod(E).equals(BigInteger.ZERO)) {
                return candidate;
            }
        }
    }

    private static KeyPair pair(BigInteger p, BigInteger q) {
        BigInteger n = p.multiply(q);
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        BigInteger d = E.modInverse(phi);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(n, E));
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(new RSAPrivateCrtKeySpec(n, E, d, p, q,
                    d.mod(p.subtract(BigInteger.ONE)), d.mod(q.subtract(BigInteger.ONE)), q.modInverse(p)));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an RSA key from generated primes", e);
        }
    }
}
