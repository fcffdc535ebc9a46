package io.troupe.tools;

import io.troupe.api.ConfigurationException;
import io.troupe.api.tool.Tool;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The tools of the plugin jars in a folder: each jar declares its {@link Tool} implementations in {@code
 * META-INF/services/io.troupe.api.tool.Tool}, each with a public no-argument constructor, and {@link ServiceLoader}
 * creates them. The jars share one class loader, whose parent is Troupe's, so a plugin sees the Troupe API and may
 * bring its own libraries (and JDBC drivers for the {@code sql} tool). Loaded once; thread-safe afterwards.
 */
public final class PluginTools implements ToolSource, AutoCloseable {
    private final Path folder;
    private final URLClassLoader loader;
    private final List<Tool> tools;

    private PluginTools(Path folder, URLClassLoader loader, List<Tool> tools) {
        this.folder = folder;
        this.loader = loader;
        this.tools = tools;
    }

    /**
     * Loads every tool of the jars in {@code folder}.
     *
     * @throws ConfigurationException if the folder is missing or holds no jar, or a tool cannot be created
     */
    public static PluginTools load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ConfigurationException("The plugin folder " + folder
                    + (Files.exists(folder) ? " is not a folder" : " does not exist")
                    + "; pass --plugins the folder that holds the plugin jars");
        }
        List<URL> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : entries) {
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                    file.size(); // opens the central directory: a damaged or fake jar fails here, by name
                } catch (IOException e) {
                    throw new ConfigurationException("The plugin " + jar + " is not a readable jar file ("
                            + e.getMessage() + "); rebuild it or remove it from " + folder);
                }
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new ConfigurationException("A plugin jar in " + folder + " has no valid URL: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigurationException("Cannot list the plugin folder " + folder + ": " + e);
        }
        if (jars.isEmpty()) {
            throw new ConfigurationException("The plugin folder " + folder + " holds no .jar file");
        }
        jars.sort(java.util.Comparator.comparing(URL::toString));
        URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), PluginTools.class.getClassLoader());
        List<Tool> tools = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<Tool> provider :
                    ServiceLoader.load(Tool.class, loader).stream().toList()) {
                tools.add(provider.get());
            }
        } catch (ServiceConfigurationError | RuntimeException e) {
            close(loader);
            throw new ConfigurationException("A tool in the plugin jars of " + folder + " cannot be created: "
                    + e.getMessage() + ". Each tool needs a public no-argument constructor and a line in"
                    + " META-INF/services/io.troupe.api.tool.Tool");
        }
        return new PluginTools(folder, loader, List.copyOf(tools));
    }

    /** The class loader of the plugin jars, for JDBC drivers and other services they bring. */
    public ClassLoader classLoader() {
        return loader;
    }

    @Override
    public String describe() {
        return "the plugins in " + folder;
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public void close() {
        close(loader);
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // the jars stay open until the JVM ends; nothing else depends on them
        }
    }
}
