/**
 * The only module that knows ONNX's protobuf: {@link dev.dendrite.onnxbridge.OnnxExporter} writes any
 * model as a {@code ModelProto}, {@link dev.dendrite.onnxbridge.OnnxImporter} turns one into a trainable
 * model, and {@link dev.dendrite.onnxbridge.OrtRunner} runs a model in ONNX Runtime to check both.
 */
package dev.dendrite.onnxbridge;
