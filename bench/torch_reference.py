#!/usr/bin/python3
"""PyTorch side of Misgen's network-core checks (runs with Debian's python3-torch).

1. Cross-check: builds the original IMPALA-CNN (train-procgen's ImpalaModel + CategoricalPolicy,
   docs/ORIGINS.md §3) in PyTorch, loads a Misgen safetensors file with load_state_dict(strict=True)
   and compares logits and value with Misgen's on the same observations (max abs diff < 1e-4).
   The inputs come from `misgen bench-nn --export DIR` (model-64.safetensors, obs-64.bin,
   out-64.bin, and the same for 32): obs are N*S*S*3 uint8 HWC RGB, outputs N*15 logits then N values (float32 LE).
2. Throughput: forward samples/s (batch 256) and training samples/s (minibatch 1024: forward,
   backward, grad-norm clip 0.5, Adam) for 16/32/32 at 64x64 and 32x32, on 1 and 2 threads,
   printed in `misgen bench nn --json` format with "impl": "pytorch", including samples per
   CPU-second of the process (robust when other jobs share the cores), as Misgen reports.

Usage:  /usr/bin/python3 bench/torch_reference.py --check DIR [--bench] [--threads N] [--repeats 5] [--cases CASE...]
bench/forward-peers.sh runs Misgen's, ONNX Runtime's and this script's forward cases in one session.
"""
import argparse, json, struct, sys, time
import numpy as np
import torch
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x):
        out = nn.ReLU()(x)
        out = self.conv1(out)
        out = nn.ReLU()(out)
        out = self.conv2(out)
        return out + x


class ImpalaBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, 1, 1)
        self.res1 = ResidualBlock(cout)
        self.res2 = ResidualBlock(cout)

    def forward(self, x):
        x = self.conv(x)
        x = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)(x)
        return self.res2(self.res1(x))


class ImpalaModel(nn.Module):
    def __init__(self, size=64, widths=(16, 32, 32), hidden=256):
        super().__init__()
        self.block1 = ImpalaBlock(3, widths[0])
        self.block2 = ImpalaBlock(widths[0], widths[1])
        self.block3 = ImpalaBlock(widths[1], widths[2])
        final = size
        for _ in range(3):
            final = (final - 1) // 2 + 1
        self.fc = nn.Linear(widths[2] * final * final, hidden)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight, 1.0)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(x)))
        x = nn.ReLU()(x)
        x = torch.flatten(x, start_dim=1)
        return nn.ReLU()(self.fc(x))


class CategoricalPolicy(nn.Module):
    def __init__(self, size=64, widths=(16, 32, 32), hidden=256, actions=15):
        super().__init__()
        self.embedder = ImpalaModel(size, widths, hidden)
        self.fc_policy = nn.Linear(hidden, actions)
        self.fc_value = nn.Linear(hidden, 1)
        nn.init.orthogonal_(self.fc_policy.weight, 0.01); nn.init.constant_(self.fc_policy.bias, 0)
        nn.init.orthogonal_(self.fc_value.weight, 1.0); nn.init.constant_(self.fc_value.bias, 0)

    def forward(self, x):
        h = self.embedder(x)
        return self.fc_policy(h), self.fc_value(h).reshape(-1)


def load_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", t["dtype"]
        b, e = t["data_offsets"]
        arr = np.frombuffer(data[base + b:base + e], dtype="<f4").reshape(t["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, meta


def to_input(obs_bytes):
    # exactly the original: float32 / 255, HWC -> CHW
    return torch.from_numpy(obs_bytes.astype(np.float32) / np.float32(255.0)).permute(0, 3, 1, 2).contiguous()


def check(folder):
    worst = 0.0
    for size in (64, 32):
        state, meta = load_safetensors(f"{folder}/model-{size}.safetensors")
        widths = (state["embedder.block1.conv.weight"].shape[0], state["embedder.block2.conv.weight"].shape[0],
                  state["embedder.block3.conv.weight"].shape[0])
        hidden, actions = state["embedder.fc.weight"].shape[0], state["fc_policy.weight"].shape[0]
        model = CategoricalPolicy(int(meta.get("input_size", size)), widths, hidden, actions)
        model.load_state_dict(state, strict=True)
        obs = np.fromfile(f"{folder}/obs-{size}.bin", dtype=np.uint8).reshape(-1, size, size, 3)
        n = obs.shape[0]
        out = np.fromfile(f"{folder}/out-{size}.bin", dtype="<f4")
        ml, mv = out[:n * actions].reshape(n, actions), out[n * actions:]
        with torch.no_grad():
            logits, value = model(to_input(obs))
        dl = float(np.abs(logits.numpy() - ml).max())
        dv = float(np.abs(value.numpy() - mv).max())
        worst = max(worst, dl, dv)
        print(json.dumps({"check": f"pytorch-vs-misgen-{size}", "observations": n, "max_abs_diff_logits": dl,
                          "max_abs_diff_value": dv, "pass": bool(max(dl, dv) < 1e-4)}))
    return worst < 1e-4


CASES = ("forward-64", "train-64", "forward-32", "train-32")


def bench(threads_list, repeats, cases=CASES):
    for case in cases:
        train = case.startswith("train")
        size = int(case.split("-")[1])
        batch = 1024 if train else 256
        for threads in threads_list:
            torch.set_num_threads(threads)
            torch.manual_seed(1)
            model = CategoricalPolicy(size)
            opt = torch.optim.Adam(model.parameters(), lr=5e-4, eps=1e-5)
            obs = to_input(np.random.RandomState(2).randint(0, 256, size=(batch, size, size, 3), dtype=np.uint8))
            dl = torch.randn(batch, 15) / batch
            dv = torch.randn(batch) / batch

            def once():
                if not train:
                    with torch.no_grad():
                        model(obs)
                    return
                opt.zero_grad()
                logits, value = model(obs)
                ((logits * dl).sum() + (value * dv).sum()).backward()
                nn.utils.clip_grad_norm_(model.parameters(), 0.5)
                opt.step()

            once(); once()
            times, cpu = [], []
            for _ in range(repeats):
                t, c = time.perf_counter(), time.process_time()
                once()
                times.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
            median = sorted(times)[repeats // 2]
            cpu_median = sorted(cpu)[repeats // 2]
            flops = forward_flops(size) * (3 if train else 1)
            sps = batch / median
            print(json.dumps({"bench": "nn", "impl": "pytorch", "torch": torch.__version__, "case": case, "threads": threads,
                              "value": round(sps, 1), "unit": "samples/s", "gflops": round(sps * flops / 1e9, 1),
                              "batch": batch, "repeats": repeats,
                              "samples_per_cpu_second": round(batch / cpu_median, 1)}), flush=True)


def forward_flops(size, widths=(16, 32, 32), hidden=256, actions=15):
    flops, cin = 0.0, 3
    for w in widths:
        flops += 2.0 * size * size * w * cin * 9
        size = (size - 1) // 2 + 1
        flops += 4 * 2.0 * size * size * w * w * 9
        cin = w
    return flops + 2.0 * widths[2] * size * size * hidden + 2.0 * hidden * (actions + 1)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="DIR", help="folder written by `misgen bench-nn --export DIR`")
    ap.add_argument("--bench", action="store_true", help="measure PyTorch throughput")
    ap.add_argument("--threads", type=int, help="thread count (default: 1 and 2)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES), help="bench cases (default: all)")
    a = ap.parse_args()
    ok = True
    if a.check:
        ok = check(a.check)
    if a.bench:
        bench([a.threads] if a.threads else [1, 2], a.repeats, a.cases)
    sys.exit(0 if ok else 1)
