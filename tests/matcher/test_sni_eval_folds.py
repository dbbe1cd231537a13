"""``anbudsvakt eval matcher`` tests on suppliers the tables never saw: held out by buyer and by supplier."""

from matcher.match.evaluate import buyer_fold, held_out_training, supplier_key
from tenders.stats.uhm_records import read_wins

FOLDS = 5


def test_a_folds_suppliers_win_nothing_in_its_training_tables():
    wins = read_wins()
    for fold in range(FOLDS):
        tested = {supplier_key(w) for w in wins if buyer_fold(w.buyer_orgnr, FOLDS) == fold}
        train = held_out_training(wins, FOLDS, fold)
        assert train and tested
        assert not tested & {supplier_key(w) for w in train}
        assert all(buyer_fold(w.buyer_orgnr, FOLDS) != fold for w in train)


def test_a_big_supplier_winning_in_every_fold_is_never_trained_on():
    wins = read_wins()
    sweco = [w for w in wins if w.supplier == "SWECO Sverige AB"]
    assert len({buyer_fold(w.buyer_orgnr, FOLDS) for w in sweco}) == FOLDS
    assert all(w.supplier != "SWECO Sverige AB" for f in range(FOLDS) for w in held_out_training(wins, FOLDS, f))


def test_sole_traders_hidden_by_the_export_are_one_supplier_per_trade_and_size():
    wins = [w for w in read_wins() if w.supplier == "Personuppgift"]
    keys = {supplier_key(w) for w in wins}
    assert len(keys) > 10 and all(k.startswith("Personuppgift|") for k in keys)
