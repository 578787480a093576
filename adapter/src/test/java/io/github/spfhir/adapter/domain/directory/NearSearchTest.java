package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The FHIR near value: reading it, the great-circle distance, and the bounding box a store prefilters with. */
class NearSearchTest {

    @Test
    void readsLatitudeLongitudeDistanceAndUnits() {
        NearSearch near = NearSearch.parse("51.4816|-3.1791|5|km");

        assertThat(near.latitude()).isEqualTo(51.4816);
        assertThat(near.longitude()).isEqualTo(-3.1791);
        assertThat(near.distanceKm()).isEqualTo(5.0);
        assertThat(near.units()).isEqualTo("km");
        assertThat(NearSearch.parse("51|-3|500|m").distanceKm()).isCloseTo(0.5, within(1e-12));
        assertThat(NearSearch.parse("51|-3|1|[mi_i]").distanceKm()).isCloseTo(1.609344, within(1e-12));
        assertThat(NearSearch.parse("51|-3|7").units()).isEqualTo("km");
        assertThat(NearSearch.parse("51|-3").distanceKm()).isEqualTo(NearSearch.DEFAULT_DISTANCE_KM);
        assertThat(NearSearch.parse("+51.|-.5||m")).satisfies(n -> {
            assertThat(n.latitude()).isEqualTo(51.0);
            assertThat(n.longitude()).isEqualTo(-0.5);
            assertThat(n.distanceKm()).as("no distance: the default, whatever the units").isEqualTo(10.0);
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "90.0001|0; latitude must be between -90 and 90",
            "0|-180.5; longitude must be between -180 and 180",
            "Infinity|0; latitude must be a decimal number",
            "0x1p3|0; latitude must be a decimal number",
            "1,5|0; latitude must be a decimal number",
            "0|0|5|mi; units must be km, m or [mi_i]",
            "0|0|1000001|m; distance must be at most 1000 km",
            "0|0|0.0; distance must be more than 0",
            "0; 2 to 4 parts"})
    void refusesWhatIsNotANearValueSayingWhy(String value, String why) {
        assertThatThrownBy(() -> NearSearch.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).hasMessageNotContaining(value);
    }

    @Test
    void measuresGreatCircleDistances() {
        NearSearch cardiff = NearSearch.parse("51.4816|-3.1791|200|km");

        assertThat(cardiff.distanceKmTo(51.4816, -3.1791)).isZero();
        // one degree of latitude is 111.2 km on the mean sphere (2 pi 6371.0088 / 360)
        assertThat(cardiff.distanceKmTo(52.4816, -3.1791)).isCloseTo(111.195, within(0.001));
        // a degree of longitude shrinks with the cosine of the latitude (at the equator: as a degree of latitude)
        assertThat(NearSearch.parse("0|0|200|km").distanceKmTo(0, 1)).isCloseTo(111.195, within(0.001));
        assertThat(NearSearch.parse("60|0|200|km").distanceKmTo(60, 1)).isCloseTo(55.597, within(0.01));
        // across the 180th meridian the short way round
        assertThat(NearSearch.parse("0|179.5|200|km").distanceKmTo(0, -179.5)).isCloseTo(111.195, within(0.001));
        assertThat(cardiff.inUnits(1.609344)).isCloseTo(1.609344, within(1e-12));
        assertThat(NearSearch.parse("0|0|1|m").inUnits(1.5)).isCloseTo(1500, within(1e-9));
    }

    @Test
    void theBoundingBoxHoldsTheWholeCircle() {
        NearSearch near = NearSearch.parse("52.4153|-4.0829|30|km");
        NearSearch.BoundingBox box = near.boundingBox();

        assertThat(box.wrapsLongitude()).isFalse();
        assertThat(box.allLongitudes()).isFalse();
        // every point on the circle (every 5 degrees of bearing) is inside the box
        for (int bearing = 0; bearing < 360; bearing += 5) {
            double[] point = destination(near.latitude(), near.longitude(), bearing, 30);
            assertThat(near.distanceKmTo(point[0], point[1])).isCloseTo(30, within(1e-6));
            assertThat(point[0]).isBetween(box.minLatitude(), box.maxLatitude());
            assertThat(point[1]).isBetween(box.minLongitude(), box.maxLongitude());
        }
        // and it is not much bigger: 30 km is 0.27 degrees of latitude, and 0.44 of longitude at 52.4 N
        assertThat(box.maxLatitude() - box.minLatitude()).isCloseTo(0.5396, within(0.001));
        assertThat(box.maxLongitude() - box.minLongitude()).isCloseTo(0.8866, within(0.01));
    }

    @Test
    void theBoundingBoxWrapsAtTheAntimeridianAndTakesEveryLongitudeNearAPole() {
        NearSearch.BoundingBox fiji = NearSearch.parse("-17|179.9|50|km").boundingBox();
        assertThat(fiji.wrapsLongitude()).isTrue();
        assertThat(fiji.minLongitude()).isBetween(179.0, 180.0);
        assertThat(fiji.maxLongitude()).isBetween(-180.0, -179.0);

        NearSearch.BoundingBox pole = NearSearch.parse("89.9|0|50|km").boundingBox();
        assertThat(pole.allLongitudes()).isTrue();
        assertThat(pole.maxLatitude()).isEqualTo(90.0);
    }

    /** The point at a distance and bearing from another on the mean sphere (the direct geodesic problem). */
    private static double[] destination(double lat, double lon, double bearingDegrees, double km) {
        double d = km / NearSearch.EARTH_RADIUS_KM;
        double phi1 = Math.toRadians(lat);
        double lambda1 = Math.toRadians(lon);
        double theta = Math.toRadians(bearingDegrees);
        double phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta));
        double lambda2 = lambda1 + Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi1),
                Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
        return new double[] {Math.toDegrees(phi2), Math.toDegrees(lambda2)};
    }
}
