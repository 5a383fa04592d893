"""Model: the CRNN's configs, shapes and shared weights, and that training lowers the CTC loss."""
import numpy as np
import pytest
import tf_keras as keras

from ocr_lab.data import MJDatasetSequence
from ocr_lab.labels import MAX_TEXT_LEN, TARGET_CHARACTERS, TIME_STEPS, LabelConverter
from ocr_lab.model import CONFIGS, HEADS, build_crnn_model, ctc_identity_loss, model_params

CONVERTER = LabelConverter(TARGET_CHARACTERS)


@pytest.fixture(scope="module")
def small():
    keras.utils.set_random_seed(0)
    return build_crnn_model(config="small")


@pytest.fixture(scope="module")
def word_batch(tiny_lmdb):
    """The 8 readable rendered words of the tiny LMDB as one batch, straight from MJDatasetSequence."""
    seq = MJDatasetSequence(tiny_lmdb.path, CONVERTER, batch_size=len(tiny_lmdb.scanned))
    inputs, outputs = seq[0]
    assert len(inputs["label"]) == 8
    return inputs, outputs


def test_lecture_config_is_the_lectures_network():
    model, model_pred = build_crnn_model()  # "lecture" is the default
    assert model_pred.output_shape == (None, TIME_STEPS, 37) == (None, 24, 37)
    assert model_pred.input_shape == (None, 100, 32, 3)
    assert 7.7e6 < model_pred.count_params() < 7.9e6  # the lecture's 7.8 M
    assert model.count_params() == model_pred.count_params()  # the CTC layer adds no weights


def test_small_config(small):
    model, model_pred = small
    assert model_pred.output_shape == (None, 24, 37)
    assert 0.4e6 < model_pred.count_params() < 0.6e6  # about 0.5 M
    assert model.output_shape == (None, 1)  # one CTC loss per sample, output "ctc" as in the lecture
    assert model.output_names == ["ctc"]
    assert set(model.input_names) == {"input_image", "label", "input_length", "label_length"}
    assert model.get_layer("label").input_shape[0] == (None, MAX_TEXT_LEN)




def test_wide_config_reads_twice_the_columns_with_the_small_configs_weights(small):
    from ocr_lab.model import same_weight_shapes, time_steps_of

    _, wide = build_crnn_model(config="wide")
    assert wide.output_shape == (None, 49, 37) and time_steps_of("wide") == 49 and time_steps_of("small") == 24
    assert [w.shape for w in wide.weights] == [w.shape for w in small[1].weights]
    assert same_weight_shapes("small", "wide") and not same_weight_shapes("small", "lecture")
    wide.set_weights(small[1].get_weights())  # a small checkpoint is a valid start for a wide run


def test_prediction_is_a_softmax_per_step(small, word_batch):
    _, model_pred = small
    y = model_pred(word_batch[0]["input_image"][:2], training=False).numpy()
    assert y.shape == (2, 24, 37)
    np.testing.assert_allclose(y.sum(-1), 1.0, atol=1e-4)
    assert y.min() >= 0


def test_train_and_prediction_models_share_weights(small):
    model, model_pred = small
    train_weights = {id(w) for w in model.weights}
    assert model_pred.weights and all(id(w) in train_weights for w in model_pred.weights)
    assert len(model.weights) == len(model_pred.weights)


@pytest.mark.parametrize("config", ["big", "Lecture", ""])
def test_unknown_config_raises_value_error(config):
    with pytest.raises(ValueError, match="unknown model config"):
        build_crnn_model(config=config)


def test_a_config_dict_and_another_charset(small):
    _, model_pred = build_crnn_model(characters="0123456789", config={**CONFIGS["small"], "lstm": 8})
    assert model_pred.output_shape == (None, 24, 11)  # blank + 10 digits
    assert model_pred.count_params() < small[1].count_params()


def test_other_image_sizes_are_refused():
    with pytest.raises(ValueError, match="pooling"):
        build_crnn_model(input_shape=(128, 32, 3), config="small")


def test_training_steps_lower_the_ctc_loss(word_batch):
    keras.utils.set_random_seed(0)
    model, model_pred = build_crnn_model(config="small")
    # eager: on a tiny model a few steps run faster than tracing the training function
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss={"ctc": ctc_identity_loss}, run_eagerly=True)
    inputs, outputs = word_batch
    before = model_pred(inputs["input_image"], training=False).numpy()
    losses = [float(model.train_on_batch(inputs, outputs)) for _ in range(5)]
    assert np.all(np.isfinite(losses)), losses
    assert losses[-1] < 0.8 * losses[0], losses
    # the prediction model changed with the training model: they are one network
    after = model_pred(inputs["input_image"], training=False).numpy()
    assert np.abs(after - before).max() > 1e-3


def test_loss_is_finite_for_labels_that_fit_24_steps(small):
    model, _ = small
    texts = ["A" * 12 + "B", "ABCDEFGHIJKLMNOPQRSTUV", "A" * 12, "HELLO", "Q"]  # 24, 22, 23, 6, 1 steps
    labels = np.zeros([len(texts), MAX_TEXT_LEN], dtype=np.int64)
    for i, text in enumerate(texts):
        labels[i, : len(text)] = CONVERTER.encode(text)
    rng = np.random.default_rng(0)
    inputs = {
        "input_image": rng.uniform(0, 255, size=[len(texts), 100, 32, 3]).astype(np.float32),
        "label": labels,
        "input_length": np.full([len(texts)], TIME_STEPS, dtype=np.int64),
        "label_length": np.array([len(t) for t in texts], dtype=np.int64),
    }
    loss = model(inputs, training=False).numpy()
    assert loss.shape == (len(texts), 1)
    assert np.all(np.isfinite(loss)) and np.all(loss > 0), loss.ravel()


def test_a_grown_model_reads_exactly_as_the_model_it_grew_from(word_batch):
    """grow_weights puts every old weight in its place and silences the new units, so a model grown
    wider in every conv, the dense layer and both LSTMs gives the same softmax; training then wakes
    the new units (their zeroed outgoing weights get a gradient)."""
    from ocr_lab.model import grow_weights

    keras.utils.set_random_seed(2)
    _, source = build_crnn_model(config="small")
    rng = np.random.default_rng(3)  # move every weight, BatchNorm's statistics too, off a fresh build's values
    source.set_weights([w + rng.normal(0, 0.2, w.shape).astype(w.dtype) if w.ndim > 1
                        else np.abs(w + rng.normal(0, 0.2, w.shape)).astype(w.dtype) + 0.05
                        for w in source.get_weights()])
    bigger = {**CONFIGS["small"], "conv_filters": (24, 32, 80, 64, 128, 96, 112), "dense": 96, "lstm": 80}
    keras.utils.set_random_seed(1)
    model, grown = build_crnn_model(config=bigger)
    grow_weights(source, grown)
    images = word_batch[0]["input_image"]
    np.testing.assert_allclose(grown.predict(images, verbose=0), source.predict(images, verbose=0), atol=2e-5)

    logits = grown.get_layer("logits")
    silent = logits.get_weights()[0][[*range(64, 80), *range(144, 160)]]  # rows from the new LSTM units
    assert not silent.any()
    model.compile(loss={"ctc": ctc_identity_loss}, optimizer=keras.optimizers.Adam(1e-3))
    model.train_on_batch(*word_batch)
    assert logits.get_weights()[0][[*range(64, 80), *range(144, 160)]].any()


def test_only_a_wider_model_of_the_same_layers_can_grow_from_another():
    from ocr_lab.model import can_grow, grow_weights

    assert can_grow("wide", "wide128") and can_grow("small", "wide128") and can_grow("wide", "wide")
    assert not can_grow("wide128", "wide")  # narrower: weights would be lost
    assert not can_grow("small", "lecture")  # batch norm after two convs, not every one
    _, small_model = build_crnn_model(config="small")
    _, lecture = build_crnn_model(config="lecture")
    with pytest.raises(ValueError, match="layers differ"):
        grow_weights(small_model, lecture)


def test_the_lectures_inference_cell_finds_the_softmax_on_the_training_model(small):
    """The lecture builds model_pred from the training model: get_layer('output') must find the softmax."""
    model, model_pred = small
    assert "output" not in [layer.name for layer in model.layers]  # the loss reads the logits
    lecture_pred = keras.Model(inputs=model.get_layer("input_image").output, outputs=model.get_layer("output").output)
    images = np.random.default_rng(0).uniform(0, 255, (2, 100, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(lecture_pred.predict(images, verbose=0), model_pred.predict(images, verbose=0))
    assert model.get_layer("output") is model_pred.get_layer("output")
    with pytest.raises(ValueError, match="No such layer: nothing"):
        model.get_layer("nothing")


def test_every_config_names_its_prediction_head():
    assert all(params["head"] in HEADS for params in CONFIGS.values())
    old = {k: v for k, v in CONFIGS["wide"].items() if k != "head"}  # as checkpoints saved before heads had names
    assert model_params(old)["head"] == "ctc"
    with pytest.raises(ValueError, match="unknown prediction head 'attention'"):
        model_params({**CONFIGS["small"], "head": "attention"})


def test_a_cased_model_starts_reading_as_the_upper_case_model_it_came_from(word_batch):
    """transfer_charset copies every layer and gives "a" the weights of "A", the two sharing the old "A"'s
    probability: the cased model's best path (letter first, then case) is the source's, letter for
    letter; punctuation starts fresh."""
    from ocr_lab.decode import decode_predict_ctc
    from ocr_lab.labels import CASED_CHARACTERS, PUNCTUATION
    from ocr_lab.model import charset_rows, transfer_charset

    rows = charset_rows(TARGET_CHARACTERS, CASED_CHARACTERS)
    assert rows[0] == 0 and rows[1 + CASED_CHARACTERS.index("a")] == rows[1 + CASED_CHARACTERS.index("A")] == 1
    assert rows.count(None) == len(PUNCTUATION)
    keras.utils.set_random_seed(4)
    _, source = build_crnn_model(config="small")
    _, cased = build_crnn_model(config="small", characters=CASED_CHARACTERS)
    assert transfer_charset(source, cased, TARGET_CHARACTERS, CASED_CHARACTERS) == len(PUNCTUATION)
    images = word_batch[0]["input_image"]
    before, after = source.predict(images, verbose=0), cased.predict(images, verbose=0)
    upper = decode_predict_ctc(before, TARGET_CHARACTERS)
    either = decode_predict_ctc(after, CASED_CHARACTERS)
    assert [t.upper() for t in either] == upper
    a, big_a = 1 + CASED_CHARACTERS.index("a"), 1 + CASED_CHARACTERS.index("A")  # "A" and "a" share the old "A"
    np.testing.assert_allclose(after[..., a] + after[..., big_a], before[..., 1 + TARGET_CHARACTERS.index("A")],
                               atol=1e-4)
    np.testing.assert_allclose(after[..., a], after[..., big_a], atol=1e-6)
    with pytest.raises(ValueError, match="layers before the output differ"):
        transfer_charset(build_crnn_model(config="lecture")[1], cased, TARGET_CHARACTERS, CASED_CHARACTERS)


# ----------------------------------------------------------------------------- the rectification stage

def test_the_spline_through_the_target_points_is_the_identity():
    """tps_sampling_matrix @ the target points gives every output pixel its own place: an untrained
    rectification stage moves nothing."""
    from ocr_lab.model import tps_sampling_matrix, tps_target_points

    where = tps_sampling_matrix() @ tps_target_points()
    gx, gy = np.meshgrid(np.linspace(-1, 1, 100), np.linspace(-1, 1, 32), indexing="ij")
    np.testing.assert_allclose(where, np.stack([gx.ravel(), gy.ravel()], 1), atol=1e-5)


def test_the_sampler_moves_pixels_where_the_points_say():
    """The target points copy the image; every point moved one pixel right reads each pixel from its
    right-hand neighbour (the spline of a shift is the shift), clamped at the border."""
    from ocr_lab.model import TPSSampler, tps_target_points

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (2, 100, 32, 3)).astype(np.float32)
    points = np.tile(tps_target_points().ravel(), (2, 1)).astype(np.float32)
    sampler = TPSSampler()
    np.testing.assert_allclose(sampler([images, points]).numpy(), images, atol=0.05)
    shifted = points.reshape(2, -1, 2) + np.float32([2 / 99, 0])
    moved = sampler([images, shifted.reshape(2, -1)]).numpy()
    np.testing.assert_allclose(moved[:, :-1], images[:, 1:], atol=0.05)
    np.testing.assert_allclose(moved[:, -1], images[:, -1], atol=0.05)  # past the right edge: the edge


def test_a_model_behind_a_new_rectification_stage_reads_as_it_did_then_learns_to_rectify(word_batch):
    """grow_weights copies a wide model behind a new stage, which starts as the identity (its last
    layer's weights zero); one training step moves the fiducial points."""
    from ocr_lab.model import grow_weights

    keras.utils.set_random_seed(4)
    _, source = build_crnn_model(config="wide")
    model, rectified = build_crnn_model(config="wide_tps")
    assert rectified.count_params() - source.count_params() == sum(
        layer.count_params() for layer in rectified.layers if layer.name.startswith("rectify_"))
    grow_weights(source, rectified)
    images = word_batch[0]["input_image"]
    np.testing.assert_allclose(rectified.predict(images, verbose=0), source.predict(images, verbose=0), atol=1e-4)

    points = rectified.get_layer("rectify_points")
    assert not points.get_weights()[0].any()
    model.compile(loss={"ctc": ctc_identity_loss}, optimizer=keras.optimizers.Adam(1e-3))
    model.train_on_batch(*word_batch)
    assert points.get_weights()[0].any()
    _, lecture = build_crnn_model(config="lecture")
    with pytest.raises(ValueError, match="layers differ"):
        grow_weights(lecture, rectified)


def test_a_rectified_model_grows_wider_with_its_stage_copied_as_it_is(word_batch):
    """grow_weights copies a wide_tps model's rectification stage weight for weight and grows the
    CRNN behind it, so wider_tps starts reading as wide_tps did; from a model without a stage, the
    new stage starts as the identity."""
    from ocr_lab.model import can_grow, grow_weights

    assert can_grow("wide_tps", "wider_tps") and not can_grow("wider_tps", "wide_tps")
    keras.utils.set_random_seed(5)
    _, source = build_crnn_model(config="wide_tps")
    points = source.get_layer("rectify_points")
    moved = [w + np.random.default_rng(0).normal(0, 0.01, w.shape).astype(w.dtype) for w in points.get_weights()]
    points.set_weights(moved)  # a stage that has learned something, not the identity
    _, grown = build_crnn_model(config="wider_tps")
    grow_weights(source, grown)
    images = word_batch[0]["input_image"]
    np.testing.assert_allclose(grown.predict(images, verbose=0), source.predict(images, verbose=0), atol=2e-5)
    for a, b in zip(grown.get_layer("rectify_points").get_weights(), moved):
        np.testing.assert_array_equal(a, b)

    _, plain = build_crnn_model(config="wide")
    _, grown = build_crnn_model(config="wider_tps")
    grow_weights(plain, grown)
    np.testing.assert_allclose(grown.predict(images, verbose=0), plain.predict(images, verbose=0), atol=1e-4)
