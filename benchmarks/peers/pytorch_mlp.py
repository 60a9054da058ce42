"""Article B's PyTorch training loop, as the tutorial writes it, raced to a test accuracy.

The recipe: 784-100-10 with ReLU, Adam at 0.001, shuffled batches of 32 from all 60,000
training digits, binary cross-entropy with logits on one-hot targets, ten epochs; the
test digits are classified by the largest softmax output. Pixels are scaled to 0-1, as
torchvision's ``ToTensor`` does. After every epoch the test accuracy is measured with the
clock stopped; the race ends at the first epoch that reaches the target.

Needs PyTorch (`make bench` installs it; `make test` never does). Run:
``python -m benchmarks.peers.pytorch_mlp --target 0.978 --runs 3``
"""

from __future__ import annotations

import json
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from benchmarks.peers import race_arguments
from mnist_book.data import load_mnist

NAME = "article B's PyTorch loop (batch 32, Adam 1e-3, BCE on one-hot)"
EPOCHS = 10


def network() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))


def test_accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        predicted = torch.softmax(model(images), dim=1).argmax(dim=1)
    model.train()
    return float((predicted == labels).float().mean())


def race(seed: int, target: float, train: TensorDataset,
         test: tuple[torch.Tensor, torch.Tensor]) -> dict:
    """Train from ``seed`` until the test accuracy first reaches ``target``."""
    torch.manual_seed(seed)
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = nn.BCEWithLogitsLoss()
    loader = DataLoader(train, batch_size=32, shuffle=True)
    training, accuracies = 0.0, []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        for images, targets in loader:
            optimizer.zero_grad()
            loss = loss_function(model(images), targets)
            loss.backward()
            optimizer.step()
        training += time.perf_counter() - start
        accuracies.append(test_accuracy(model, *test))
        if accuracies[-1] >= target:
            return {"seconds_to_target": training, "training_seconds": training,
                    "epochs": len(accuracies), "test_accuracies": accuracies}
    return {"seconds_to_target": None, "training_seconds": training, "epochs": EPOCHS,
            "test_accuracies": accuracies}


def main(argv: list[str] | None = None) -> int:
    args = race_arguments(__doc__.splitlines()[0], argv)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    scale = np.float32(1 / 255)
    train = TensorDataset(torch.from_numpy(x_train.astype(np.float32) * scale),
                          nn.functional.one_hot(torch.from_numpy(y_train.astype(np.int64)),
                                                10).float())
    test = (torch.from_numpy(x_test.astype(np.float32) * scale),
            torch.from_numpy(y_test.astype(np.int64)))
    runs = [race(seed, args.target, train, test) for seed in range(args.runs)]
    print(json.dumps({"name": NAME, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "runs": runs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
