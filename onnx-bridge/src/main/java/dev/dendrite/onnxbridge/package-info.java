/**
 * The only module that knows ONNX protobuf: it will turn the primitives' neutral IR
 * ({@link dev.dendrite.onnx.OnnxNode}) into {@code ModelProto}s and back, and provide the conformance
 * kit's {@link dev.dendrite.testkit.OnnxAgreement} against ONNX Runtime (issue "onnx-bridge").
 */
package dev.dendrite.onnxbridge;
