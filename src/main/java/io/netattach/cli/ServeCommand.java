package io.netattach.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code serve [--nads DIR]}: boots the admission webhook (Quarkus). {@code --nads DIR} is the same
 * option as in the CLI commands and sets the standalone NAD directory (the property
 * {@code netattach.catalog.directory}), resolved to an absolute path; it also selects the directory
 * catalog unless {@code netattach.catalog.mode} is set explicitly. A directory that does not exist is a
 * usage error here; through the property it leaves the catalog not ready until it appears.
 */
@Command(name = ServeCommand.NAME,
        description = {"Run the admission webhook (HTTPS, port 8443); the default without a command.",
                "In a cluster NADs come from the API server; standalone from a directory of manifests."})
public final class ServeCommand extends CliCommand {

    /** The command's name. */
    public static final String NAME = "serve";

    /** The property of the standalone NAD directory. */
    public static final String DIRECTORY_PROPERTY = "netattach.catalog.directory";
    /** The property choosing the catalog (auto, cluster, directory). */
    public static final String MODE_PROPERTY = "netattach.catalog.mode";

    @Option(names = "--nads", paramLabel = "DIR",
            description = "standalone NAD directory (YAML/JSON manifests, recursive), like the CLI's --nads; "
                    + "sets netattach.catalog.directory (default deploy/examples) and selects the directory catalog")
    Path nads;

    /** Boots the server; null where there is none (tests). */
    Cli.Server server;

    @Override
    public Integer call() {
        Map<String, String> properties = new LinkedHashMap<>();
        if (nads != null) {
            Path absolute = nads.toAbsolutePath().normalize();
            if (!Files.isDirectory(absolute)) {
                throw usageError("--nads " + nads + ": " + (Files.exists(absolute) ? "not a directory" : "no such directory")
                        + (absolute.toString().equals(nads.toString()) ? "" : " (" + absolute + ")"));
            }
            properties.put(DIRECTORY_PROPERTY, absolute.toString());
            if (System.getProperty(MODE_PROPERTY) == null && System.getenv("NETATTACH_CATALOG_MODE") == null) {
                properties.put(MODE_PROPERTY, "directory");
            }
        }
        if (server == null) {
            err.println("netattach serve: the webhook server is not available in this process");
            return Cli.USAGE_ERROR;
        }
        return server.serve(Map.copyOf(properties));
    }
}
