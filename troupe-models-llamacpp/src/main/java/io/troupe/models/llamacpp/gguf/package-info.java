/**
 * The GGUF file format, read and written in Java: metadata, tensor descriptions and tensor data.
 *
 * <p>{@link io.troupe.models.llamacpp.gguf.Gguf} reads a file (reading it back and writing it gives identical bytes),
 * and its {@link io.troupe.models.llamacpp.gguf.Gguf.Builder} writes new ones, such as LoRA adapters and small test
 * models. Nothing here touches llama.cpp, so a file can be checked in Java before the native library sees it.
 */
@NullMarked
package io.troupe.models.llamacpp.gguf;

import org.jspecify.annotations.NullMarked;
