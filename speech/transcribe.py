#!/usr/bin/env python3
"""rehearse's speech helper: Whisper in CTranslate2 form (faster-whisper), JSON lines.

Started by rehearse as `python transcribe.py --model DIR [--threads N]`. It loads the model,
prints {"event": "ready"}, then reads one request per line on stdin:
    {"id": 1, "audio": "/path/16k-mono.wav", "initial_prompt": "..."}
and answers each with {"event": "transcript", "id": 1, "words": [...]} (or "error"), printing
{"event": "progress"} after each segment. It exits at the end of stdin. Nothing is downloaded:
the model is read from the folder given, and the audio never leaves this machine.
"""

import argparse
import json
import os
import sys
import time
import wave

PROTOCOL = 1


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def read_wav(path, numpy):
    """16 kHz mono 16-bit PCM (rehearse converts before asking) as float32 in [-1, 1]."""
    with wave.open(path, "rb") as wav:
        if wav.getframerate() != 16000 or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16 kHz mono 16-bit PCM")
        frames = wav.readframes(wav.getnframes())
    return numpy.frombuffer(frames, dtype="<i2").astype(numpy.float32) / 32768.0


def transcribe(model, numpy, request):
    started = time.monotonic()
    audio = read_wav(request["audio"], numpy)
    # Measured on tiny.en (see the README's Speech section): beam search at temperature 0 is
    # deterministic and kept the first 30 s that a filler prompt otherwise made the model skip;
    # each window conditioned on the text before it keeps the fillers of the whole answer.
    segments, info = model.transcribe(
        audio,
        language="en",
        beam_size=int(request.get("beam_size", 5)),
        temperature=0.0,
        word_timestamps=True,
        initial_prompt=request.get("initial_prompt") or None,
        condition_on_previous_text=bool(request.get("condition_on_previous_text", True)),
        # rehearse has already refused silent recordings; a window is never dropped as silence
        # (a filler prompt made tiny.en rate real speech as "no speech").
        no_speech_threshold=None,
        # Pauses are measured from the words' own times: no voice-activity trimming.
        vad_filter=False,
    )
    words = []
    for segment in segments:
        for word in segment.words or []:
            words.append(
                {
                    "text": word.word,
                    "start": round(word.start, 3),
                    "end": round(word.end, 3),
                    "probability": round(word.probability, 3),
                }
            )
        emit({"event": "progress", "id": request["id"], "at": round(segment.end, 3)})
    emit(
        {
            "event": "transcript",
            "id": request["id"],
            "duration": round(info.duration, 3),
            "seconds": round(time.monotonic() - started, 3),
            "words": words,
        }
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="a CTranslate2 Whisper model folder")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: all)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    try:
        import numpy
        from faster_whisper import WhisperModel
        import faster_whisper
    except ImportError as error:
        emit({"event": "fatal", "message": f"faster-whisper is not installed: {error}"})
        return 2
    try:
        model = WhisperModel(
            args.model,
            device="cpu",
            compute_type="int8",
            cpu_threads=args.threads,
            local_files_only=True,
        )
    except Exception as error:  # the message is for the user; the kind of model is checked first
        emit({"event": "fatal", "message": f"cannot load the model in {args.model}: {error}"})
        return 3
    emit(
        {
            "event": "ready",
            "protocol": PROTOCOL,
            "faster_whisper": faster_whisper.__version__,
            "load_seconds": round(time.monotonic() - started, 3),
        }
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        request = {}
        try:
            request = json.loads(line)
            transcribe(model, numpy, request)
        except Exception as error:
            emit({"event": "error", "id": request.get("id"), "message": str(error)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
