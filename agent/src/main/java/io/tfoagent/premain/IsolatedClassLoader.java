package io.tfoagent.premain;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Loads the agent, its native shim, ByteBuddy and JNA from the folder {@value #INNER} of
 * tfo-agent.jar, where class files are stored as {@code .classdata} so the application's
 * class loader (which has the agent jar on its class path) never finds them. The parent is
 * the platform loader: the agent sees the JDK, never the application's libraries.
 *
 * <p>Its classes form one named module, {@value #MODULE}, in a layer of its own. A named
 * module can be granted native access alone (JEP 472); unnamed modules share one switch
 * with the application, which the agent must not flip.
 */
final class IsolatedClassLoader extends ClassLoader {
    static final String INNER = "tfo-agent-inner/";
    static final String MODULE = "io.tfoagent";
    private static final String CLASS_DATA = ".classdata";
    private static final String PACKAGES = "packages.txt";

    static {
        registerAsParallelCapable();
    }

    private static IsolatedClassLoader instance;

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    private final String version;

    private IsolatedClassLoader(JarFile jar, URL location) {
        super("tfo-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = "jar:" + location + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
        this.version = TfoAgent.class.getPackage().getImplementationVersion();
    }

    /** One loader per JVM: premain, a later attach and the CLI all share the agent's state. */
    static synchronized IsolatedClassLoader forAgentJar() throws IOException {
        if (instance == null) {
            URL location = TfoAgent.class.getProtectionDomain().getCodeSource().getLocation();
            JarFile jar;
            try {
                jar = new JarFile(new File(location.toURI()), false);
            } catch (java.net.URISyntaxException e) {
                throw new IOException("agent jar location " + location, e);
            }
            IsolatedClassLoader loader = new IsolatedClassLoader(jar, location);
            loader.defineAgentModule();
            instance = loader;
        }
        return instance;
    }

    /**
     * The module holds every package stored here but the bridge's (it belongs to java.base),
     * as listed at build time in {@value #PACKAGES}: scanning the jar would cost start-up time.
     */
    private void defineAgentModule() throws IOException {
        Set<String> packages = new HashSet<>();
        ZipEntry list = jar.getEntry(INNER + PACKAGES);
        if (list == null) {
            throw new IOException(INNER + PACKAGES + " is missing from the agent jar");
        }
        try (InputStream in = jar.getInputStream(list)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    packages.add(line.trim().replace('/', '.'));
                }
            }
        }
        ModuleDescriptor descriptor = ModuleDescriptor.newOpenModule(MODULE).packages(packages).build();
        ModuleReference reference = new ModuleReference(descriptor, null) {
            @Override
            public ModuleReader open() {
                throw new UnsupportedOperationException("classes come from the IsolatedClassLoader");
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(MODULE) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        // No lambdas on the start-up path: the first one in a JVM costs tens of milliseconds.
        ModuleLayer.Controller controller = ModuleLayer.defineModules(configuration, List.of(boot),
                new Function<String, ClassLoader>() {
                    @Override
                    public ClassLoader apply(String module) {
                        return IsolatedClassLoader.this;
                    }
                });
        Module agent = controller.layer().findModule(MODULE).orElseThrow();
        // JNA and ByteBuddy link against java.logging, java.instrument...: read every JDK module.
        for (Module jdk : boot.modules()) {
            controller.addReads(agent, jdk);
        }
    }

    @Override
    protected Class<?> findClass(String moduleName, String name) {
        try {
            return MODULE.equals(moduleName) ? findClass(name) : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String moduleName, String name) {
        return MODULE.equals(moduleName) || moduleName == null ? findResource(name) : null;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ZipEntry entry = jar.getEntry(INNER + name.replace('.', '/') + CLASS_DATA);
        if (entry == null || name.startsWith("java.") || name.startsWith("sun.") || name.startsWith("jdk.")) {
            // sun.nio.ch.TfoBridge is stored here too, but it belongs to java.base only.
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, "tfo-agent", version, null, null);
                } catch (IllegalArgumentException raced) {
                    // Another thread defined it first: that is all we wanted.
                }
            }
        }
    }

    /** Resources by their ordinary names; {@code X.class} is served from {@code X.classdata}. */
    @Override
    protected URL findResource(String name) {
        String stored = INNER + (name.endsWith(".class")
                ? name.substring(0, name.length() - ".class".length()) + CLASS_DATA : name);
        if (jar.getEntry(stored) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + stored);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }
}
