"""`make bench`: the benchmarks. None is written yet; the scale issue brings them."""

import sys

if __name__ == "__main__":
    print("Aucun benchmark pour l'instant : ils arrivent avec le générateur de données.")
    sys.exit(0)
