package io.shardgate.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts drawn with XChart. */
public final class Charts {
    private Charts() {}

    /** A line per series: y against x, both axes logarithmic (domain counts and latencies span decades). */
    public static Path lines(Path file, String title, String xTitle, String yTitle, Map<String, double[][]> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.CIRCLE));
        return save(chart, file);
    }

    /** Grouped bars: one group per category, one bar per series; {@code logarithmic}: the value axis. */
    public static Path bars(Path file, String title, String xTitle, String yTitle, List<String> categories,
            Map<String, List<Double>> series, boolean logarithmic) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) { // bars start at the axis minimum, which XChart otherwise puts at 0
            double smallest = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        }
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        return save(chart, file);
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
