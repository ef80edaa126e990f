/** The API users call ({@code dev.autoscaler}) and the SPI plugin authors implement ({@code dev.autoscaler.spi}). */
module dev.autoscaler.api {
    exports dev.autoscaler;
    exports dev.autoscaler.spi;
}
