// className of each layer the model builders add: the one place each is spelled.
export const CHANNELS_TO_BATCH = 'ChannelsToBatch';
export const BATCH_TO_CHANNELS = 'BatchToChannels';
export const GROUPED_CONV_2D = 'GroupedConv2D';
