"""The tutorial's way, as a baseline: DataLoader + ToTensor, batch 15, 2 epochs, per-sample evaluation.

This is how the lesson this project grew from trains its 784-64-64-64-10 network; bench/train_speed.py
runs it as a whole process next to our presets. It prints one line `RESULT wall=... acc=...`.
"""

import argparse
import os
import time

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 64)
        self.fc2 = nn.Linear(64, 64)
        self.fc3 = nn.Linear(64, 64)
        self.fc4 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        return F.log_softmax(self.fc4(x), dim=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR", "data"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    train = datasets.MNIST(args.data_dir, train=True, download=False, transform=transforms.ToTensor())
    test = datasets.MNIST(args.data_dir, train=False, download=False, transform=transforms.ToTensor())
    start = time.perf_counter()  # training + evaluation, as our trainer reports it
    trainset = DataLoader(train, batch_size=15, shuffle=True)
    testset = DataLoader(test, batch_size=15, shuffle=False)

    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    for epoch in range(args.epochs):
        for X, y in trainset:
            net.zero_grad()
            output = net(X.view(-1, 28 * 28))
            loss = F.nll_loss(output, y)
            loss.backward()
            optimizer.step()
        correct = total = 0
        with torch.no_grad():
            for X, y in testset:
                output = net(X.view(-1, 784))
                for idx, i in enumerate(output):
                    if torch.argmax(i) == y[idx]:
                        correct += 1
                    total += 1
        print(f"epoch {epoch + 1}: accuracy {correct / total:.4f}", flush=True)
    wall = time.perf_counter() - start
    print(f"RESULT wall={wall:.3f} acc={correct / total:.4f} samples_per_s={args.epochs * len(train) / wall:.0f}")


if __name__ == "__main__":
    main()
