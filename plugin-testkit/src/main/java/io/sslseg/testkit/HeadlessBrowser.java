package io.sslseg.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Debian's headless Chromium, rendering an HTML page as a user's browser would: its screenshot, the DOM after the
 * page's scripts ran, and every message the page wrote to the console (an uncaught script error among them). CI
 * installs chromium-headless-shell and sets {@code SSLSEG_BROWSER=required}, which turns a missing browser into a
 * failure; elsewhere a missing browser skips the test.
 */
public final class HeadlessBrowser {
    /** What the browser made of a page. */
    public record Rendering(BufferedImage screenshot, String dom, List<String> console) {
        /** Pixels of the screenshot that are not near-white: text, lines, images. */
        public double inkShare() {
            long ink = 0;
            for (int y = 0; y < screenshot.getHeight(); y++) {
                for (int x = 0; x < screenshot.getWidth(); x++) {
                    int rgb = screenshot.getRGB(x, y);
                    if (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) < 3 * 235) {
                        ink++;
                    }
                }
            }
            return (double) ink / (screenshot.getWidth() * screenshot.getHeight());
        }

        /** Pixels within {@code tolerance} (per channel) of {@code rgb}. */
        public long pixelsNear(int rgb, int tolerance) {
            long n = 0;
            for (int y = 0; y < screenshot.getHeight(); y++) {
                for (int x = 0; x < screenshot.getWidth(); x++) {
                    int p = screenshot.getRGB(x, y);
                    if (Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance
                            && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance
                            && Math.abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance) {
                        n++;
                    }
                }
            }
            return n;
        }

        public int distinctColours() {
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < screenshot.getHeight(); y++) {
                for (int x = 0; x < screenshot.getWidth(); x++) {
                    colours.add(screenshot.getRGB(x, y));
                }
            }
            return colours.size();
        }

        /** Asserts the page is not blank, logged nothing to the console (no script error) and its script finished. */
        public void assertRenderedCleanly(String readyAttribute) {
            assertEquals(List.of(), console, "the page wrote to the browser's console (a script error?)");
            assertTrue(dom.contains(readyAttribute + "=\"yes\""), "the page's script did not run to its end");
            assertTrue(inkShare() > 0.02, "the screenshot is (nearly) blank: " + inkShare());
            assertTrue(distinctColours() > 20, "the screenshot has " + distinctColours() + " colours");
        }
    }

    private HeadlessBrowser() {}

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium");

    /** Renders {@code page} at {@code width x height} CSS pixels. */
    public static Rendering render(Path page, int width, int height) throws IOException, InterruptedException {
        String browser = CANDIDATES.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
        if (browser == null) {
            if ("required".equals(System.getenv("SSLSEG_BROWSER"))) {
                fail("SSLSEG_BROWSER=required but no headless Chromium is installed"
                        + " (apt-get install chromium-headless-shell)");
            }
            assumeTrue(false, "no headless Chromium installed: the page was not rendered");
        }
        Path work = Files.createTempDirectory("sslseg-browser");
        Path png = work.resolve("screenshot.png");
        Result shot = run(browser, work, "--screenshot=" + png, "--window-size=" + width + "," + height,
                "--enable-logging=stderr", "--v=0", page.toUri().toString());
        Result dom = run(browser, work, "--dump-dom", page.toUri().toString());
        assertTrue(Files.size(png) > 0, "no screenshot written:\n" + shot.stderr);
        List<String> console = new ArrayList<>();
        for (String line : shot.stderr.split("\n")) {
            if (line.contains(":CONSOLE")) {
                console.add(line);
            }
        }
        BufferedImage screenshot = ImageIO.read(png.toFile());
        try (var files = Files.walk(work)) { // the browser's profile is tens of files; nothing in it is needed again
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new Rendering(screenshot, dom.stdout, console);
    }

    private record Result(String stdout, String stderr) {}

    private static Result run(String browser, Path work, String... args) throws IOException, InterruptedException {
        // no sandbox: CI runs as root; /dev/shm is small in containers, so shared memory goes to /tmp
        List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=" + work.resolve("profile")));
        command.addAll(List.of(args));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the browser did not finish in 120 s: " + command);
        }
        Result r = new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), "the browser failed: " + command + "\n" + r.stderr);
        return r;
    }
}
